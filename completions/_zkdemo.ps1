
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'zkdemo' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'zkdemo'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'zkdemo' {
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Take a distributed lock (kazoo- or Curator-compatible), a read lock, or a semaphore lease')
            [CompletionResult]::new('elect', 'elect', [CompletionResultType]::ParameterValue, 'Compete for leadership (kazoo- or Curator-compatible), or observe who leads')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Watch, set, get and unset a live configuration (a znode of key=value lines)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show locks, elections and configs as they are: once, as a tree, or live')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Play the original scripts'' scenarios (lock, election, config) with real participants, in one command')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure lock handoff, failover, config propagation and process cost against the raw round trip')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Draw what happened as an SVG timeline, from saved `zkdemo --json` events')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff): zkdemo''s, or a subcommand''s')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zkdemo;lock' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The lock''s znode')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose lock to speak: kazoo''s Lock/ReadLock (`<uuid>__lock__<seq>`), Curator''s InterProcessMutex (also go-zookeeper''s Lock), or Curator''s InterProcessReadWriteLock. A directory of another format''s nodes is refused (exit 2)')
            [CompletionResult]::new('--max-leases', '--max-leases', [CompletionResultType]::ParameterName, 'A semaphore: up to N holders at once. kazoo''s Semaphore and its max_leases: lease nodes under --path, the limit stored as its data (a different one stored by others is refused, exit 2), acquisition in turn through a lock at `<path>-__lock__`. With --format curator, Curator''s InterProcessSemaphoreV2: leases under `<path>/leases`, acquisition through a mutex at `<path>/locks`, the limit not stored (agree on it)')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'This contender''s id, stored as its node''s data [default: <hostname>-<pid>]')
            [CompletionResult]::new('--kill-grace', '--kill-grace', [CompletionResultType]::ParameterName, 'After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right after SIGTERM). After a loss of contact, at most a quarter of --session-timeout')
            [CompletionResult]::new('--hold', '--hold', [CompletionResultType]::ParameterName, 'Worker mode: how long to hold the lock each time; 0s releases it at once [default: 2s]')
            [CompletionResult]::new('--pause', '--pause', [CompletionResultType]::ParameterName, 'Worker mode: how long to wait after releasing before queueing again; 0s queues again at once [default: 1s]')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Worker mode: stop after this many acquisitions [default: until Ctrl-C]')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Give up after waiting this long for the lock (0s: the same as -n)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Give up after waiting this long for the lock (0s: the same as -n)')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'Exit code when giving up (-n, -w)')
            [CompletionResult]::new('--conflict-exit-code', '--conflict-exit-code', [CompletionResultType]::ParameterName, 'Exit code when giving up (-n, -w)')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--shared', '--shared', [CompletionResultType]::ParameterName, 'Take the lock shared (a read lock): readers hold together, each waiting only for the writers ahead of it (kazoo''s ReadLock; Curator''s read side with --format curator-rw)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Give up at once if someone holds the lock')
            [CompletionResult]::new('--nonblock', '--nonblock', [CompletionResultType]::ParameterName, 'Give up at once if someone holds the lock')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;elect' {
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The election''s znode')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Whose election to join: kazoo''s Election (`<uuid>__lock__<seq>`), Curator''s LeaderLatch (`_c_<uuid>-latch-<seq>`), or Curator''s LeaderSelector (which stands on Curator''s mutex, `-lock-`). A directory of another format''s nodes is refused (exit 2). `--observe` reads the format from the nodes it finds')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'This contender''s id, stored as its node''s data [default: <hostname>-<pid>]')
            [CompletionResult]::new('--kill-grace', '--kill-grace', [CompletionResultType]::ParameterName, 'After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right after SIGTERM). After a loss of contact, at most a quarter of --session-timeout')
            [CompletionResult]::new('--lead', '--lead', [CompletionResultType]::ParameterName, 'Resign after leading this long, and queue again at the back')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit after leading this many times')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--observe', '--observe', [CompletionResultType]::ParameterName, 'Do not campaign: print the current leader (with its node''s creation time: when it began to lead is not known) and every change (dated when it was seen)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;config' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The config''s name: the node is /configs/NAME')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Any znode instead of /configs/NAME')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print the config and then every change (version; keys added, changed, removed)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove keys from the config in one write')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the config, or the value of one key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zkdemo;config;watch' {
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit 0 after N changes (the state printed at start is not a change)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (with sh -c) after each change; the document on its stdin')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The config''s name: the node is /configs/NAME')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Any znode instead of /configs/NAME')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;config;set' {
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Replace the whole data with TEXT, whatever it holds. Without TEXT: interactive, each line of stdin replaces the whole data')
            [CompletionResult]::new('--expect-version', '--expect-version', [CompletionResultType]::ParameterName, 'Write only if the node is at version V now (exit code 75 otherwise)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The config''s name: the node is /configs/NAME')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Any znode instead of /configs/NAME')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;config;unset' {
            [CompletionResult]::new('--expect-version', '--expect-version', [CompletionResultType]::ParameterName, 'Write only if the node is at version V now (exit code 75 otherwise)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The config''s name: the node is /configs/NAME')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Any znode instead of /configs/NAME')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;config;get' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The config''s name: the node is /configs/NAME')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Any znode instead of /configs/NAME')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the data exactly as stored, whatever it holds (no newline added, nothing escaped)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;config;help' {
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print the config and then every change (version; keys added, changed, removed)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove keys from the config in one write')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the config, or the value of one key')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zkdemo;config;help;watch' {
            break
        }
        'zkdemo;config;help;set' {
            break
        }
        'zkdemo;config;help;unset' {
            break
        }
        'zkdemo;config;help;get' {
            break
        }
        'zkdemo;config;help;help' {
            break
        }
        'zkdemo;inspect' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'What the head of a lock/election queue is called (auto: guessed from the path)')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Show the subtree under each path, indented, with child counts and data sizes')
            [CompletionResult]::new('--tree', '--tree', [CompletionResultType]::ParameterName, 'Show the subtree under each path, indented, with child counts and data sizes')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Stay, and show the new state whenever something shown changes (watches, not polling) until Ctrl-C. On a terminal the screen is redrawn in place')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Stay, and show the new state whenever something shown changes (watches, not polling) until Ctrl-C. On a terminal the screen is redrawn in place')
            [CompletionResult]::new('--servers', '--servers', [CompletionResultType]::ParameterName, 'Ask each server of --zk for its mode, version, latency, connections and znode count (four-letter words srvr/mntr); needs no session')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;server' {
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'Number of servers: 1 (standalone) or 3 (an ensemble with a leader and two followers)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Client port of the first server; the others use the next ones. 0 picks free ports')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Keep the servers'' data here (one node-N/ per server, with its zoo.cfg and server.log). Default: a temporary directory removed on exit')
            [CompletionResult]::new('--tick-time', '--tick-time', [CompletionResultType]::ParameterName, 'ZooKeeper''s tickTime. Sessions may last between 2 and 20 ticks')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;demo' {
            [CompletionResult]::new('--scenario', '--scenario', [CompletionResultType]::ParameterName, 'Which scenario to play')
            [CompletionResult]::new('--timeline', '--timeline', [CompletionResultType]::ParameterName, 'Also draw what happened as an SVG timeline in this file (as `zkdemo timeline` draws a saved `--json` log)')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;bench' {
            [CompletionResult]::new('floor', 'floor', [CompletionResultType]::ParameterValue, 'floor')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'lock')
            [CompletionResult]::new('elect', 'elect', [CompletionResultType]::ParameterValue, 'elect')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'config')
            [CompletionResult]::new('cost', 'cost', [CompletionResultType]::ParameterValue, 'cost')
            [CompletionResult]::new('all', 'all', [CompletionResultType]::ParameterValue, 'all')
            [CompletionResult]::new('--contenders', '--contenders', [CompletionResultType]::ParameterName, 'lock: contenders (separate sessions), one run per number')
            [CompletionResult]::new('--rounds', '--rounds', [CompletionResultType]::ParameterName, 'floor: samples per figure; lock: acquisitions per contender; elect: failovers')
            [CompletionResult]::new('--candidates', '--candidates', [CompletionResultType]::ParameterName, 'elect: candidate processes')
            [CompletionResult]::new('--watchers', '--watchers', [CompletionResultType]::ParameterName, 'config: watching sessions, one run per number')
            [CompletionResult]::new('--sets', '--sets', [CompletionResultType]::ParameterName, 'config: writes per run')
            [CompletionResult]::new('--starts', '--starts', [CompletionResultType]::ParameterName, 'cost: process starts to time')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Work under this znode (a fresh child per run, removed afterwards)')
            [CompletionResult]::new('--exe', '--exe', [CompletionResultType]::ParameterName, 'The zkdemo binary that elect and cost run [default: this one]')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Start a local standalone ZooKeeper for the run (ignores --zk)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;timeline' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the SVG; `-` writes it to stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the SVG; `-` writes it to stdout')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;man' {
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'lock')
            [CompletionResult]::new('elect', 'elect', [CompletionResultType]::ParameterValue, 'elect')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'config')
            [CompletionResult]::new('config-get', 'config-get', [CompletionResultType]::ParameterValue, 'config-get')
            [CompletionResult]::new('config-set', 'config-set', [CompletionResultType]::ParameterValue, 'config-set')
            [CompletionResult]::new('config-unset', 'config-unset', [CompletionResultType]::ParameterValue, 'config-unset')
            [CompletionResult]::new('config-watch', 'config-watch', [CompletionResultType]::ParameterValue, 'config-watch')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'inspect')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'server')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'demo')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'bench')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'timeline')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'man')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'completions')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;completions' {
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'bash')
            [CompletionResult]::new('elvish', 'elvish', [CompletionResultType]::ParameterValue, 'elvish')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'fish')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'powershell')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'zsh')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--zk', '--zk', [CompletionResultType]::ParameterName, 'ZooKeeper servers: host:port[,host:port…][/chroot]')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first session before giving up with exit code 69')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)')
            [CompletionResult]::new('--acl', '--acl', [CompletionResultType]::ParameterName, 'The ACL of the nodes zkdemo creates (what each value allows: see --help)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print every event as one JSON object per line (with "event" and "ts")')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (and JSON events when --json is given)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'zkdemo;help' {
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Take a distributed lock (kazoo- or Curator-compatible), a read lock, or a semaphore lease')
            [CompletionResult]::new('elect', 'elect', [CompletionResultType]::ParameterValue, 'Compete for leadership (kazoo- or Curator-compatible), or observe who leads')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Watch, set, get and unset a live configuration (a znode of key=value lines)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show locks, elections and configs as they are: once, as a tree, or live')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Play the original scripts'' scenarios (lock, election, config) with real participants, in one command')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Measure lock handoff, failover, config propagation and process cost against the raw round trip')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Draw what happened as an SVG timeline, from saved `zkdemo --json` events')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff): zkdemo''s, or a subcommand''s')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'zkdemo;help;lock' {
            break
        }
        'zkdemo;help;elect' {
            break
        }
        'zkdemo;help;config' {
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Print the config and then every change (version; keys added, changed, removed)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove keys from the config in one write')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the config, or the value of one key')
            break
        }
        'zkdemo;help;config;watch' {
            break
        }
        'zkdemo;help;config;set' {
            break
        }
        'zkdemo;help;config;unset' {
            break
        }
        'zkdemo;help;config;get' {
            break
        }
        'zkdemo;help;inspect' {
            break
        }
        'zkdemo;help;server' {
            break
        }
        'zkdemo;help;demo' {
            break
        }
        'zkdemo;help;bench' {
            break
        }
        'zkdemo;help;timeline' {
            break
        }
        'zkdemo;help;man' {
            break
        }
        'zkdemo;help;completions' {
            break
        }
        'zkdemo;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
