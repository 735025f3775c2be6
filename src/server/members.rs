//! What `zkdemo server` does when one of its servers exits on its own: a standalone server's
//! end is the command's end (exit 1, with the tail of its log); an ensemble member's is one
//! line, and the others run on — serving while a majority runs, as ZooKeeper is meant to, and
//! without one until Ctrl-C, so that a member failure (`kill -9` of its java) can be tried.
//! Only when the last one is gone does the command end (exit 1).

use super::Cluster;
use crate::exit::Error;
use crate::output::Event;

/// Server `i` (whose pid was `pid`) exited with `how`: the event to print and go on, or the
/// error to stop with.
pub(super) fn exited(
    cluster: &Cluster,
    i: usize,
    pid: Option<u32>,
    how: &str,
) -> Result<Event, Error> {
    let running: Vec<usize> = (0..cluster.len())
        .filter(|&j| cluster.pid(j).is_some())
        .collect();
    if running.is_empty() {
        let last = if cluster.len() == 1 {
            ""
        } else {
            ", the last of the ensemble"
        };
        return Err(Error::failure(format!(
            "ZooKeeper server {} exited on its own ({how}){last}; last lines of {}:\n{}",
            i + 1,
            cluster.log_path(i).display(),
            cluster.log_tail(i)
        )));
    }
    let connect = running
        .iter()
        .map(|&j| cluster.addr(j).to_string())
        .collect::<Vec<_>>()
        .join(",");
    let text = member_line(
        i + 1,
        &cluster.addr(i).to_string(),
        how,
        &connect,
        running.len(),
        cluster.len(),
    );
    let text = if how.starts_with("signal") {
        text
    } else {
        // Not killed: it stopped by itself, and its log says why.
        format!("{text} Its log: {}", cluster.log_path(i).display())
    };
    Ok(Event::new("server")
        .with("server", cluster.addr(i).to_string())
        .with("status", "exited")
        .with("pid", pid)
        .with("message", how)
        .with("connect", connect)
        .text(text))
}

/// One line: which member, how, and what the ensemble can still do.
fn member_line(
    myid: usize,
    addr: &str,
    how: &str,
    connect: &str,
    running: usize,
    total: usize,
) -> String {
    let head = format!("ZooKeeper server {myid} ({addr}) exited on its own ({how});");
    let verb = if running == 1 { "runs" } else { "run" };
    if running > total / 2 {
        format!("{head} {running} of {total} {verb}, a quorum: the ensemble serves on ({connect}).")
    } else {
        format!(
            "{head} {running} of {total} {verb}, no quorum: clients get no service now \
             (Ctrl-C stops it)."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_lost_with_a_quorum_left_says_the_ensemble_serves_on() {
        assert_eq!(
            member_line(
                3,
                "127.0.0.1:2183",
                "signal: 9 (SIGKILL)",
                "127.0.0.1:2181,127.0.0.1:2182",
                2,
                3
            ),
            "ZooKeeper server 3 (127.0.0.1:2183) exited on its own (signal: 9 (SIGKILL)); 2 of 3 \
             run, a quorum: the ensemble serves on (127.0.0.1:2181,127.0.0.1:2182)."
        );
    }

    #[test]
    fn a_member_lost_without_a_quorum_left_says_clients_get_no_service() {
        let line = member_line(
            1,
            "127.0.0.1:2181",
            "exit status: 1",
            "127.0.0.1:2182",
            1,
            3,
        );
        assert_eq!(
            line,
            "ZooKeeper server 1 (127.0.0.1:2181) exited on its own (exit status: 1); 1 of 3 runs, \
             no quorum: clients get no service now (Ctrl-C stops it)."
        );
        assert!(!line.contains('\n'));
    }
}
