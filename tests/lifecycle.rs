//! Session lifecycle of whole zkdemo processes against real servers, and the fault-injecting
//! proxy they use (`common::proxy::Proxy`).

mod common;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use common::proxy::Proxy;

// --- the proxy itself ------------------------------------------------------------------------

/// An echo server on a free port (its threads end with the test binary).
fn echo_server() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut r = &s;
                let mut w = &s;
                let _ = io::copy(&mut r, &mut w);
            });
        }
    });
    addr
}

fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_millis(400)))?;
    Ok(s)
}

/// Write `msg` and read back as many bytes: Ok(what came back) or the read's error.
fn round_trip(s: &mut TcpStream, msg: &[u8]) -> io::Result<Vec<u8>> {
    s.write_all(msg)?;
    let mut got = vec![0u8; msg.len()];
    let mut n = 0;
    while n < got.len() {
        match s.read(&mut got[n..])? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            k => n += k,
        }
    }
    Ok(got)
}

fn silent(r: io::Result<Vec<u8>>) -> bool {
    matches!(r, Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut))
}

/// The proxy itself: bytes pass intact; `blackhole_existing` silences the open flow and lets a
/// new one pass; `cut` resets open connections and refuses new ones; `heal` listens again;
/// `blackhole` silences old and new; dropping it resets what is left.
#[test]
fn proxy_passes_bytes_cuts_with_resets_and_blackholes() {
    let echo = echo_server();
    let p = Proxy::start(echo);
    let mut a = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut a, b"hello").unwrap(), b"hello");
    let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    let mut ab = a.try_clone().unwrap();
    ab.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(
        round_trip(&mut ab, &big).unwrap(),
        big,
        "200 kB pass intact"
    );
    // (The timeout is the socket's, shared by both handles.)
    a.set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    assert_eq!(p.open_connections(), 1);
    assert_eq!(p.upstream_ports().len(), 1);

    // Half-open: the old flow is dead both ways, a new one passes.
    p.blackhole_existing();
    assert!(silent(round_trip(&mut a, b"x")), "the old flow is silent");
    let mut b = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut b, b"new").unwrap(), b"new");
    assert!(
        silent(round_trip(&mut a, b"y")),
        "the old flow stays silent"
    );
    assert_eq!(p.open_connections(), 2);

    // Cut: resets for the open ones, refused for new ones.
    let t = Instant::now();
    p.cut();
    let cut_took = t.elapsed();
    let r = round_trip(&mut b, b"z");
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "an open connection sees a reset: {r:?}"
    );
    let mut buf = [0u8; 8];
    let r = a.read(&mut buf);
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "a silent one too: {r:?}"
    );
    let r = connect(p.addr());
    assert_eq!(
        r.as_ref().map(|_| ()).map_err(|e| e.kind()),
        Err(io::ErrorKind::ConnectionRefused),
        "new connections are refused while cut"
    );
    assert_eq!(p.open_connections(), 0);

    // Heal: the same port works again.
    p.heal();
    let mut c = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut c, b"again").unwrap(), b"again");

    // Blackhole: accepted, silent, old and new.
    p.blackhole();
    let mut d = connect(p.addr()).expect("accepted while blackholed");
    assert!(silent(round_trip(&mut d, b"q")), "a new flow is silent");
    assert!(silent(round_trip(&mut c, b"q")), "an open flow is silent");
    assert_eq!(p.open_connections(), 2);
    p.heal();
    let mut e = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut e, b"healed").unwrap(), b"healed");
    assert_eq!(
        p.open_connections(),
        1,
        "the silent ones are closed by heal"
    );
    let r = d.read(&mut buf);
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "{r:?}"
    );

    let addr = p.addr();
    drop(p);
    let r = e.read(&mut buf);
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "{r:?}"
    );
    assert!(connect(addr).is_err(), "nothing listens after drop");
    eprintln!("MEASURE proxy: cut of 2 connections took {cut_took:?}");
}

/// `cons` as ZooKeeper 3.8 answers it: the 4lw connection itself (no sid) is left out.
#[test]
fn cons_answers_give_session_ids_and_client_addresses() {
    let answer = " /127.0.0.1:53790[0](queued=0,recved=1,sent=0)\n \
        /127.0.0.1:53780[1](queued=0,recved=32,sent=37,sid=0x10000cd08c70000,lop=EXIS,\
        est=1796081108234,to=5000,lcxid=0x1f,lzxid=0xe,lresp=13448749,llat=1,minlat=0,\
        avglat=1,maxlat=7)\n\n";
    assert_eq!(
        common::parse_cons(answer),
        [(0x10000cd08c70000, "127.0.0.1:53780".to_owned())]
    );
}
