//! The floor: raw round trips through the session layer, the same one every recipe uses.
//!
//! - create+delete of an ephemeral node (two writes);
//! - get-children (one read);
//! - write+read: a delete then a get-children, back to back — the least work a lock handoff
//!   can do (the holder's delete, the next one's listing). Every latency is divided by it;
//! - set → a data watch fires in another session.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::report::Figure;
use super::stats::{median, ms};
use super::{p50_p99, stalled, Ctx};
use crate::exit;
use crate::session::{NodeKind, Session};

pub struct Floor {
    pub figures: Vec<Figure>,
    /// The write+read p50, in ms.
    pub floor_ms: f64,
}

pub fn run(ctx: &Ctx, s: &Session, n: usize) -> exit::Result<Floor> {
    let err = |what: &str| {
        let what = what.to_owned();
        move |e: crate::session::Error| e.to_exit(&format!("floor: {what}"))
    };
    let dir = format!("{}/floor", ctx.base);
    s.ensure_path(&dir).map_err(err("creating the node"))?;
    let node = format!("{dir}/e");
    let watched = format!("{}/floor-data", ctx.base);
    s.create(&watched, Vec::new(), NodeKind::Persistent)
        .map_err(err("creating the node"))?;
    let other = ctx.connect()?;

    let (mut create_delete, mut children, mut write_read, mut watch) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // A few unmeasured rounds first: connections, caches and the JIT warm up.
    for i in 0..n + 5 {
        ctx.progress.step("floor", i.saturating_sub(5), n);
        let keep = i >= 5;

        let t = Instant::now();
        s.create(&node, Vec::new(), NodeKind::Ephemeral)
            .map_err(err("create"))?;
        s.delete(&node, None).map_err(err("delete"))?;
        let cd = ms(t.elapsed());

        let t = Instant::now();
        s.get_children(&dir).map_err(err("get-children"))?;
        let gc = ms(t.elapsed());

        s.create(&node, Vec::new(), NodeKind::Ephemeral)
            .map_err(err("create"))?;
        let t = Instant::now();
        s.delete(&node, None).map_err(err("delete"))?;
        s.get_children(&dir).map_err(err("get-children"))?;
        let wr = ms(t.elapsed());

        let (tx, rx) = mpsc::channel();
        other
            .watch_data(&watched, move |_| {
                let _ = tx.send(Instant::now());
            })
            .map_err(err("get-data with a watch"))?;
        let t = Instant::now();
        s.set_data(&watched, i.to_string().into_bytes(), None)
            .map_err(err("set"))?;
        let fired = rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| stalled("floor: the data watch", Duration::from_secs(10)))?;
        let sw = ms(fired.duration_since(t));

        if keep {
            create_delete.push(cd);
            children.push(gc);
            write_read.push(wr);
            watch.push(sw);
        }
    }
    other.close();
    let floor_ms = median(&write_read);
    let mut figures = Vec::new();
    figures.extend(p50_p99("floor: create+delete", &create_delete));
    figures.extend(p50_p99("floor: get-children", &children));
    figures.extend(p50_p99(
        "floor: write+read (delete, get-children)",
        &write_read,
    ));
    figures.extend(p50_p99("floor: set -> data watch fired", &watch));
    Ok(Floor { figures, floor_ms })
}
