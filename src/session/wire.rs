//! ZooKeeper's client wire format, as much of it as the relay needs (ZooKeeper's `jute`
//! records `ConnectRequest`, `ConnectResponse`, `RequestHeader`, `ReplyHeader`, `AuthPacket`).
//!
//! Every message is a frame: a 4-byte big-endian length, then that many bytes. The first frame
//! each way on a connection is the handshake (`ConnectRequest` / `ConnectResponse`); after it a
//! request starts with `xid: i32, type: i32` and a reply with `xid: i32, zxid: i64, err: i32`.
//! A server answers the requests of one session in the order they were sent, except `auth`,
//! which it answers at once; watch notifications come with xid -1.

use std::io::{self, Read, Write};

/// The xid of a watch notification.
pub const XID_NOTIFICATION: i32 = -1;
/// The xid of a ping, and its reply.
pub const XID_PING: i32 = -2;
/// The xid of an auth request, and its reply.
pub const XID_AUTH: i32 = -4;

pub const OP_PING: i32 = 11;
pub const OP_AUTH: i32 = 100;
pub const OP_CLOSE_SESSION: i32 = -11;

/// `KeeperException.Code.CONNECTIONLOSS`.
pub const ERR_CONNECTION_LOSS: i32 = -4;

/// Larger frames are refused: the server's own limit (`jute.maxbuffer`) is about 1 MiB, and a
/// listing of a large directory stays well below this.
const MAX_FRAME: usize = 64 << 20;

/// Read one frame's body. `Ok(None)` at a clean end of stream before a frame starts.
pub fn read_frame(r: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    // An HTTP server (or proxy) on the port answers "HTTP/1.1 …": its first four bytes read
    // as a length of 1213486160.
    if &len == b"HTTP" {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "it answered in HTTP: not a ZooKeeper server (check the port)",
        ));
    }
    let len = i32::from_be_bytes(len);
    if len < 0 || len as usize > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes: not a ZooKeeper server? (check the port)"),
        ));
    }
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

/// Write one frame (length prefix and body in one write, so that frames written by several
/// threads under one lock never interleave).
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(body.len() + 4);
    buf.extend_from_slice(&(body.len() as i32).to_be_bytes());
    buf.extend_from_slice(body);
    w.write_all(&buf)
}

fn be_i32(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be_i64(b: &[u8], at: usize) -> Option<i64> {
    Some(i64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// A request's `(xid, type)`.
pub fn request_header(body: &[u8]) -> Option<(i32, i32)> {
    Some((be_i32(body, 0)?, be_i32(body, 4)?))
}

/// A reply's `(xid, zxid, err)`.
pub fn reply_header(body: &[u8]) -> Option<(i32, i64, i32)> {
    Some((be_i32(body, 0)?, be_i64(body, 4)?, be_i32(body, 12)?))
}

/// A reply carrying only an error: what the client is told for a request the server may not
/// have seen.
pub fn error_reply(xid: i32, zxid: i64, err: i32) -> Vec<u8> {
    let mut b = Vec::with_capacity(16);
    b.extend_from_slice(&xid.to_be_bytes());
    b.extend_from_slice(&zxid.to_be_bytes());
    b.extend_from_slice(&err.to_be_bytes());
    b
}

/// A request with an empty body (`ping`, `closeSession`).
pub fn bare_request(xid: i32, op: i32) -> Vec<u8> {
    let mut b = Vec::with_capacity(8);
    b.extend_from_slice(&xid.to_be_bytes());
    b.extend_from_slice(&op.to_be_bytes());
    b
}

fn push_buffer(b: &mut Vec<u8>, data: &[u8]) {
    b.extend_from_slice(&(data.len() as i32).to_be_bytes());
    b.extend_from_slice(data);
}

/// `auth` with `scheme` and credentials (`AuthPacket { type 0, scheme, auth }`).
pub fn auth_request(scheme: &str, credentials: &[u8]) -> Vec<u8> {
    let mut b = bare_request(XID_AUTH, OP_AUTH);
    b.extend_from_slice(&0i32.to_be_bytes());
    push_buffer(&mut b, scheme.as_bytes());
    push_buffer(&mut b, credentials);
    b
}

/// The session a server granted (or, for a resumed one, kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub timeout_ms: u32,
    pub session_id: i64,
    pub passwd: Vec<u8>,
}

/// A `ConnectRequest`: a new session (`session_id` 0) or the resumption of one.
pub fn connect_request(last_zxid: i64, timeout_ms: u32, session_id: i64, passwd: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(45);
    b.extend_from_slice(&0i32.to_be_bytes()); // protocol version
    b.extend_from_slice(&last_zxid.to_be_bytes());
    b.extend_from_slice(&(timeout_ms as i32).to_be_bytes());
    b.extend_from_slice(&session_id.to_be_bytes());
    push_buffer(&mut b, passwd);
    b.push(0); // not read-only
    b
}

/// The server's answer to a `ConnectRequest`: `None` for an expired session (the server
/// answers a timeout of 0), an error when the frame is not a `ConnectResponse`.
pub fn parse_connect_response(body: &[u8]) -> io::Result<Option<Granted>> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "not a ConnectResponse");
    let timeout = be_i32(body, 4).ok_or_else(bad)?;
    let session_id = be_i64(body, 8).ok_or_else(bad)?;
    let len = be_i32(body, 16).ok_or_else(bad)?;
    let passwd = body
        .get(20..20 + len.max(0) as usize)
        .ok_or_else(bad)?
        .to_vec();
    if timeout <= 0 {
        return Ok(None);
    }
    Ok(Some(Granted {
        timeout_ms: timeout as u32,
        session_id,
        passwd,
    }))
}

/// The `ConnectResponse` the relay gives the client for a session it holds.
pub fn connect_response(g: &Granted) -> Vec<u8> {
    let mut b = Vec::with_capacity(37);
    b.extend_from_slice(&0i32.to_be_bytes());
    b.extend_from_slice(&(g.timeout_ms as i32).to_be_bytes());
    b.extend_from_slice(&g.session_id.to_be_bytes());
    push_buffer(&mut b, &g.passwd);
    b.push(0);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_garbage_is_refused() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"abc").unwrap();
        write_frame(&mut buf, b"").unwrap();
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r).unwrap(), Some(b"abc".to_vec()));
        assert_eq!(read_frame(&mut r).unwrap(), Some(Vec::new()));
        assert_eq!(read_frame(&mut r).unwrap(), None);
        let mut neg = &[0xff, 0xff, 0xff, 0xff][..];
        assert!(read_frame(&mut neg).is_err());
        let mut cut = &[0, 0, 0, 5, 1][..];
        assert!(read_frame(&mut cut).is_err());
        // An HTTP answer is named, not read as a length of 1213486160.
        let mut http = &b"HTTP/1.1 400 Bad Request\r\n"[..];
        let e = read_frame(&mut http).unwrap_err().to_string();
        assert!(e.contains("HTTP: not a ZooKeeper server"), "{e}");
    }

    #[test]
    fn connect_records_round_trip() {
        let g = Granted {
            timeout_ms: 4000,
            session_id: 0x1000_0000_0000_0abc,
            passwd: vec![7; 16],
        };
        assert_eq!(
            parse_connect_response(&connect_response(&g)).unwrap(),
            Some(g)
        );
        let expired = connect_response(&Granted {
            timeout_ms: 0,
            session_id: 0,
            passwd: vec![0; 16],
        });
        assert_eq!(parse_connect_response(&expired).unwrap(), None);
        assert!(parse_connect_response(&[0, 1]).is_err());
        assert_eq!(connect_request(5, 4000, 9, &[1; 16]).len(), 45);
    }

    #[test]
    fn headers() {
        assert_eq!(
            request_header(&bare_request(XID_PING, OP_PING)),
            Some((-2, 11))
        );
        assert_eq!(
            reply_header(&error_reply(7, 99, ERR_CONNECTION_LOSS)),
            Some((7, 99, -4))
        );
        assert_eq!(reply_header(&[0; 15]), None);
        let a = auth_request("digest", b"u:p");
        assert_eq!(request_header(&a), Some((XID_AUTH, OP_AUTH)));
        assert_eq!(a.len(), 8 + 4 + 4 + 6 + 4 + 3);
    }
}
