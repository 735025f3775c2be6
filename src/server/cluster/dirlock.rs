//! One cluster per data directory: an exclusive `flock(2)` on `<dir>/.zkdemo.lock`, held as
//! long as the `Cluster` lives. Two servers on one directory would write one transaction log
//! (and rewrite each other's `zoo.cfg`), which ZooKeeper later finds corrupted ("First digest
//! mismatch on txn").
//!
//! The kernel drops the lock when the process ends, however it ends (SIGKILL too), so a stale
//! lock file is harmless: it is never removed (removing it would let a newcomer lock a new file
//! while an old holder still locks the unlinked one). It holds the pid of its last holder, for
//! the message that refuses a second server. The descriptor is close-on-exec (Rust's default):
//! the servers' JVMs do not inherit the lock.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::io::AsRawFd;
use std::path::Path;

/// The lock file's name inside the data directory.
pub const LOCK_FILE: &str = ".zkdemo.lock";

/// The lock on a data directory; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Lock `dir` (which exists), or say who holds it. Refused, nothing in `dir` changes: the
    /// lock file exists already (its holder made it) and is only read.
    pub fn acquire(dir: &Path) -> Result<DirLock, String> {
        let path = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        // SAFETY: flock on a descriptor we own, open for the duration of the call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(format!("cannot lock {}: {e}", path.display()));
            }
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            let holder = match text.trim().parse::<u32>() {
                Ok(pid) => format!(" (pid {pid})"),
                Err(_) => String::new(),
            };
            return Err(busy_message(dir, &holder));
        }
        let pid = format!("{}\n", std::process::id());
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(pid.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(DirLock { _file: file })
    }
}

/// "is in use": `zkdemo server` makes it exit code 2, as for a busy port.
fn busy_message(dir: &Path, holder: &str) -> String {
    format!(
        "data directory {} is in use by another zkdemo server{holder}: stop it first, or choose \
         another --data-dir",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holders_pid_until_the_first_goes() {
        let dir = tempfile::tempdir().unwrap();
        let first = DirLock::acquire(dir.path()).unwrap();
        let file = dir.path().join(LOCK_FILE);
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(written, format!("{}\n", std::process::id()));
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();

        // flock locks belong to an open file: a second open in the same process conflicts.
        let e = DirLock::acquire(dir.path()).unwrap_err();
        assert_eq!(
            e,
            format!(
                "data directory {} is in use by another zkdemo server (pid {}): stop it first, \
                 or choose another --data-dir",
                dir.path().display(),
                std::process::id()
            )
        );
        assert!(!e.contains('\n'));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
        assert_eq!(
            std::fs::metadata(&file).unwrap().modified().unwrap(),
            modified
        );

        drop(first);
        let again = DirLock::acquire(dir.path()).unwrap();
        drop(again);
    }

    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(LOCK_FILE);
        std::fs::write(&file, "999999999\nleft over by a killed server\n").unwrap();
        let _lock = DirLock::acquire(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            format!("{}\n", std::process::id())
        );
    }

    #[test]
    fn an_unknown_holder_is_not_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(LOCK_FILE);
        let other = File::create(&file).unwrap();
        // SAFETY: flock on a descriptor we own.
        assert_eq!(unsafe { libc::flock(other.as_raw_fd(), libc::LOCK_EX) }, 0);
        let e = DirLock::acquire(dir.path()).unwrap_err();
        assert!(e.contains("in use by another zkdemo server:"), "{e}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "");
    }
}
