//! `zkdemo lock`'s command line: its options, help and examples.

use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::cli::{parse_duration_or_zero, ContenderArgs};
use crate::exit;
use crate::queue::Recipe;

const EXAMPLES: &str = "\
Examples:
  # Three workers taking turns, as the original lock_worker.py (each in its own
  # terminal):
  zkdemo lock --id 1
  zkdemo lock --id 2
  zkdemo lock --id 3

  # Guard a job: only one backup runs at a time across all hosts
  zkdemo lock --path /jobs/backup -- ./backup.sh --full

  # Give up at once if someone holds it (exit code 75), or after waiting 30s
  zkdemo lock -n --path /jobs/backup -- ./backup.sh
  zkdemo lock -w 30s --path /jobs/backup -- ./backup.sh

  # A read lock (readers hold together, writers alone): kazoo's ReadLock
  zkdemo lock --shared --path /data -- ./read-report.sh

  # At most 3 backups at a time: a semaphore, as kazoo's Semaphore counts them
  zkdemo lock --max-leases 3 --path /backups -- ./backup.sh
  # ... or as Curator's InterProcessSemaphoreV2 counts them
  zkdemo lock --format curator --max-leases 3 --path /backups -- ./backup.sh

  # Take the lock a Java service takes with Curator's InterProcessMutex
  zkdemo lock --format curator --path /locks/nightly -- ./maintenance.sh

The command gets ZKDEMO_LOCK_PATH, ZKDEMO_LOCK_NODE, ZKDEMO_SESSION_ID and
ZKDEMO_FENCING_TOKEN (a number that grows with every acquisition: pass it to the storage
you write to, and have it refuse smaller ones).

A signal to zkdemo (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2, SIGALRM) is passed on to the
command's process group; zkdemo waits for it (SIGKILL after --kill-grace), then releases.
Whatever the command leaves running is stopped before the lock is released.

Exit codes: the command's own code in command mode (after a signal too); 0 in worker mode;
2 bad usage, a directory of another --format's nodes, or another --max-leases stored (nothing
written); 75 lock not acquired (-n/-w, see -E); 76 the directory's sequence counter reached its
limit; 77 not allowed (NoAuth); 79 lock lost while held (the command was stopped); 69 ZooKeeper
unreachable; 130/143 interrupted by SIGINT/SIGTERM while waiting.";

const LONG_ABOUT: &str = "Take a distributed lock: one holder at a time, in the order of arrival, \
without a herd effect (each waiter watches only the one ahead of it). The lock node is \
kazoo's (`<uuid>__lock__<seq>`), so a kazoo Lock on the same path and zkdemo exclude each \
other; --format speaks Curator's recipes instead, --shared takes a read lock, --max-leases N \
makes it a semaphore of N holders.\n\nWithout a command, act as the original lock_worker.py: wait, hold for --hold, release, pause \
for --pause, again (until --count or Ctrl-C). With a command after `--`, run it once while \
holding the lock. If contact with ZooKeeper is lost and not back in time, the command's \
whole process group is stopped (SIGTERM, --kill-grace, SIGKILL) before the session can \
expire and the lock pass to someone else.";

/// Take a distributed lock (kazoo- or Curator-compatible), a read lock, or a semaphore lease.
#[derive(Debug, Args)]
#[command(
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    mut_arg("command", |a| a.help("The command to run while holding the lock (after `--`)"))
)]
pub struct LockArgs {
    /// The lock's znode.
    #[arg(long, default_value = "/demo-lock", value_parser = crate::cli::parse_node_path)]
    pub path: String,

    /// Whose lock to speak: kazoo's Lock/ReadLock (`<uuid>__lock__<seq>`), Curator's
    /// InterProcessMutex (also go-zookeeper's Lock), or Curator's InterProcessReadWriteLock.
    /// A directory of another format's nodes is refused (exit 2).
    #[arg(long, value_enum, default_value_t = LockFormat::Kazoo, value_name = "FORMAT")]
    pub format: LockFormat,

    /// Take the lock shared (a read lock): readers hold together, each waiting only for the
    /// writers ahead of it (kazoo's ReadLock; Curator's read side with --format curator-rw).
    #[arg(long, conflicts_with = "max_leases")]
    pub shared: bool,

    /// A semaphore: up to N holders at once. kazoo's Semaphore and its max_leases: lease nodes
    /// under --path, the limit stored as its data (a different one stored by others is
    /// refused, exit 2), acquisition in turn through a lock at `<path>-__lock__`. With
    /// --format curator, Curator's InterProcessSemaphoreV2: leases under `<path>/leases`,
    /// acquisition through a mutex at `<path>/locks`, the limit not stored (agree on it).
    #[arg(long, value_name = "N", value_parser = crate::cli::parse_max_leases)]
    pub max_leases: Option<u32>,

    #[command(flatten)]
    pub contender: ContenderArgs,

    /// Worker mode: how long to hold the lock each time; 0s releases it at once [default: 2s].
    #[arg(long, value_parser = parse_duration_or_zero, conflicts_with = "command",
          value_name = "DURATION")]
    pub hold: Option<Duration>,

    /// Worker mode: how long to wait after releasing before queueing again; 0s queues again at
    /// once [default: 1s].
    #[arg(long, value_parser = parse_duration_or_zero, conflicts_with = "command",
          value_name = "DURATION")]
    pub pause: Option<Duration>,

    /// Worker mode: stop after this many acquisitions [default: until Ctrl-C].
    #[arg(long, conflicts_with = "command", value_parser = crate::cli::parse_count,
          value_name = "N")]
    pub count: Option<u64>,

    /// Give up after waiting this long for the lock (0s: the same as -n).
    #[arg(short, long, value_parser = parse_duration_or_zero, value_name = "DURATION")]
    pub wait: Option<Duration>,

    /// Give up at once if someone holds the lock.
    #[arg(short, long, conflicts_with = "wait")]
    pub nonblock: bool,

    /// Exit code when giving up (-n, -w).
    #[arg(short = 'E', long, default_value_t = exit::CONFLICT, value_name = "N")]
    pub conflict_exit_code: i32,
}

/// The recipe a lock speaks (`--format`): the node names and rules of a client already in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LockFormat {
    /// kazoo's Lock, WriteLock and ReadLock (the default).
    Kazoo,
    /// Curator's InterProcessMutex (`_c_<uuid>-lock-<seq>`); go-zookeeper's Lock too.
    Curator,
    /// Curator's InterProcessReadWriteLock: writers `__WRIT__`, readers (--shared) `__READ__`.
    CuratorRw,
}

impl LockArgs {
    /// The queue recipe these options ask for. Curator's mutex has no shared side: its read
    /// lock is the read/write lock's (`--format curator-rw`), refused before anything runs.
    pub(super) fn recipe(&self) -> Recipe {
        match (self.format, self.shared) {
            (LockFormat::Kazoo, false) => Recipe::Kazoo,
            (LockFormat::Kazoo, true) => Recipe::KazooRead,
            (LockFormat::Curator, _) => Recipe::CuratorMutex,
            (LockFormat::CuratorRw, false) => Recipe::CuratorWrite,
            (LockFormat::CuratorRw, true) => Recipe::CuratorRead,
        }
    }

    /// Options that cannot go together, found before connecting.
    pub(super) fn check(&self) -> exit::Result<()> {
        if self.max_leases.is_some() && self.format == LockFormat::CuratorRw {
            return Err(exit::Error::usage(
                "--max-leases: a semaphore is kazoo's Semaphore (the default format) or \
                 Curator's InterProcessSemaphoreV2 (--format curator), not a read/write lock",
            ));
        }
        if self.shared && self.format == LockFormat::Curator {
            return Err(exit::Error::usage(
                "--shared: Curator's InterProcessMutex has no shared side; its read lock is \
                 the read/write lock's: --format curator-rw --shared",
            ));
        }
        Ok(())
    }

    /// -n, or -w 0s (the same thing): whatever is already known decides.
    pub(super) fn gives_up_at_once(&self) -> bool {
        self.nonblock || self.wait.is_some_and(|w| w.is_zero())
    }
}
