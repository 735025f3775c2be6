# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_zkdemo_global_optspecs
    string join \n z/zk= session-timeout= connect-timeout= auth= acl= json v/verbose q/quiet h/help V/version
end

function __fish_zkdemo_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_zkdemo_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_zkdemo_using_subcommand
    set -l cmd (__fish_zkdemo_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c zkdemo -n "__fish_zkdemo_needs_command" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_needs_command" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_needs_command" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_needs_command" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_needs_command" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_needs_command" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -s V -l version -d 'Print version'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "lock" -d 'Take a distributed lock (kazoo- or Curator-compatible), a read lock, or a semaphore lease'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "elect" -d 'Compete for leadership (kazoo- or Curator-compatible), or observe who leads'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "config" -d 'Watch, set, get and unset a live configuration (a znode of key=value lines)'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "inspect" -d 'Show locks, elections and configs as they are: once, as a tree, or live'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "server" -d 'Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "demo" -d 'Play the original scripts\' scenarios (lock, election, config) with real participants, in one command'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "bench" -d 'Measure lock handoff, failover, config propagation and process cost against the raw round trip'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "timeline" -d 'Draw what happened as an SVG timeline, from saved `zkdemo --json` events'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "man" -d 'Print a man page (roff): zkdemo\'s, or a subcommand\'s'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c zkdemo -n "__fish_zkdemo_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l path -d 'The lock\'s znode' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l format -d 'Whose lock to speak: kazoo\'s Lock/ReadLock (`<uuid>__lock__<seq>`), Curator\'s InterProcessMutex (also go-zookeeper\'s Lock), or Curator\'s InterProcessReadWriteLock. A directory of another format\'s nodes is refused (exit 2)' -r -f -a "kazoo\t'kazoo\'s Lock, WriteLock and ReadLock (the default)'
curator\t'Curator\'s InterProcessMutex (`_c_<uuid>-lock-<seq>`); go-zookeeper\'s Lock too'
curator-rw\t'Curator\'s InterProcessReadWriteLock: writers `__WRIT__`, readers (--shared) `__READ__`'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l max-leases -d 'A semaphore: up to N holders at once. kazoo\'s Semaphore and its max_leases: lease nodes under --path, the limit stored as its data (a different one stored by others is refused, exit 2), acquisition in turn through a lock at `<path>-__lock__`. With --format curator, Curator\'s InterProcessSemaphoreV2: leases under `<path>/leases`, acquisition through a mutex at `<path>/locks`, the limit not stored (agree on it)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l id -d 'This contender\'s id, stored as its node\'s data [default: <hostname>-<pid>]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l kill-grace -d 'After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right after SIGTERM). After a loss of contact, at most a quarter of --session-timeout' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l hold -d 'Worker mode: how long to hold the lock each time; 0s releases it at once [default: 2s]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l pause -d 'Worker mode: how long to wait after releasing before queueing again; 0s queues again at once [default: 1s]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l count -d 'Worker mode: stop after this many acquisitions [default: until Ctrl-C]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -s w -l wait -d 'Give up after waiting this long for the lock (0s: the same as -n)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -s E -l conflict-exit-code -d 'Exit code when giving up (-n, -w)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l shared -d 'Take the lock shared (a read lock): readers hold together, each waiting only for the writers ahead of it (kazoo\'s ReadLock; Curator\'s read side with --format curator-rw)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -s n -l nonblock -d 'Give up at once if someone holds the lock'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l path -d 'The election\'s znode' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l format -d 'Whose election to join: kazoo\'s Election (`<uuid>__lock__<seq>`), Curator\'s LeaderLatch (`_c_<uuid>-latch-<seq>`), or Curator\'s LeaderSelector (which stands on Curator\'s mutex, `-lock-`). A directory of another format\'s nodes is refused (exit 2). `--observe` reads the format from the nodes it finds' -r -f -a "kazoo\t'kazoo\'s Election (a kazoo Lock underneath)'
curator\t'Curator\'s LeaderLatch'
curator-selector\t'Curator\'s LeaderSelector: the leader is the holder of Curator\'s InterProcessMutex'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l id -d 'This contender\'s id, stored as its node\'s data [default: <hostname>-<pid>]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l kill-grace -d 'After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right after SIGTERM). After a loss of contact, at most a quarter of --session-timeout' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l lead -d 'Resign after leading this long, and queue again at the back' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l count -d 'Exit after leading this many times' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l observe -d 'Do not campaign: print the current leader (with its node\'s creation time: when it began to lead is not known) and every change (dated when it was seen)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand elect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -l name -d 'The config\'s name: the node is /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -l path -d 'Any znode instead of /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -f -a "watch" -d 'Print the config and then every change (version; keys added, changed, removed)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -f -a "set" -d 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -f -a "unset" -d 'Remove keys from the config in one write'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -f -a "get" -d 'Print the config, or the value of one key'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and not __fish_seen_subcommand_from watch set unset get help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l count -d 'Exit 0 after N changes (the state printed at start is not a change)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l exec -d 'Run CMD (with sh -c) after each change; the document on its stdin' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l name -d 'The config\'s name: the node is /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l path -d 'Any znode instead of /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l raw -d 'Replace the whole data with TEXT, whatever it holds. Without TEXT: interactive, each line of stdin replaces the whole data' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l expect-version -d 'Write only if the node is at version V now (exit code 75 otherwise)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l name -d 'The config\'s name: the node is /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l path -d 'Any znode instead of /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l expect-version -d 'Write only if the node is at version V now (exit code 75 otherwise)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l name -d 'The config\'s name: the node is /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l path -d 'Any znode instead of /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l name -d 'The config\'s name: the node is /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l path -d 'Any znode instead of /configs/NAME' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l raw -d 'Print the data exactly as stored, whatever it holds (no newline added, nothing escaped)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Print the config and then every change (version; keys added, changed, removed)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove keys from the config in one write'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print the config, or the value of one key'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -l role -d 'What the head of a lock/election queue is called (auto: guessed from the path)' -r -f -a "auto\t'`leader` when the path\'s last name contains "elect", "leader" or "latch" (or a Curator LeaderLatch node is there), else `holder`'
holder\t'A lock: the head holds it'
leader\t'An election: the head leads'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -s R -l tree -d 'Show the subtree under each path, indented, with child counts and data sizes'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -s w -l watch -d 'Stay, and show the new state whenever something shown changes (watches, not polling) until Ctrl-C. On a terminal the screen is redrawn in place'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -l servers -d 'Ask each server of --zk for its mode, version, latency, connections and znode count (four-letter words srvr/mntr); needs no session'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l nodes -d 'Number of servers: 1 (standalone) or 3 (an ensemble with a leader and two followers)' -r -f
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l port -d 'Client port of the first server; the others use the next ones. 0 picks free ports' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l data-dir -d 'Keep the servers\' data here (one node-N/ per server, with its zoo.cfg and server.log). Default: a temporary directory removed on exit' -r -F
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l tick-time -d 'ZooKeeper\'s tickTime. Sessions may last between 2 and 20 ticks' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand server" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -l scenario -d 'Which scenario to play' -r -f -a "lock\t'Three workers take turns holding a lock'
elect\t'Three nodes elect a leader; leaders are stopped and others take over'
config\t'Three watchers receive three updates from an updater'
all\t'All three, one after the other'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -l timeline -d 'Also draw what happened as an SVG timeline in this file (as `zkdemo timeline` draws a saved `--json` log)' -r -F
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l contenders -d 'lock: contenders (separate sessions), one run per number' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l rounds -d 'floor: samples per figure; lock: acquisitions per contender; elect: failovers' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l candidates -d 'elect: candidate processes' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l watchers -d 'config: watching sessions, one run per number' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l sets -d 'config: writes per run' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l starts -d 'cost: process starts to time' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l path -d 'Work under this znode (a fresh child per run, removed afterwards)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l exe -d 'The zkdemo binary that elect and cost run [default: this one]' -r -F
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l local -d 'Start a local standalone ZooKeeper for the run (ignores --zk)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -s o -l output -d 'Where to write the SVG; `-` writes it to stdout' -r -F
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand timeline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -s z -l zk -d 'ZooKeeper servers: host:port[,host:port…][/chroot]' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -l session-timeout -d 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -l connect-timeout -d 'How long to wait for a first session before giving up with exit code 69' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -l auth -d 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)' -r
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -l acl -d 'The ACL of the nodes zkdemo creates (what each value allows: see --help)' -r -f -a "creator\t'With --auth: all rights for our identity, read for everyone. Without --auth there is no identity to grant anything to, so nodes are open'
private\t'All rights for our identity, nothing for anyone else (not even read). Needs --auth'
open\t'Anyone may do anything (ZooKeeper\'s OPEN_ACL_UNSAFE), even with --auth'"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -l json -d 'Print every event as one JSON object per line (with "event" and "ts")'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -s v -l verbose -d 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -s q -l quiet -d 'Print only errors (and JSON events when --json is given)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "lock" -d 'Take a distributed lock (kazoo- or Curator-compatible), a read lock, or a semaphore lease'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "elect" -d 'Compete for leadership (kazoo- or Curator-compatible), or observe who leads'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "config" -d 'Watch, set, get and unset a live configuration (a znode of key=value lines)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "inspect" -d 'Show locks, elections and configs as they are: once, as a tree, or live'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "server" -d 'Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "demo" -d 'Play the original scripts\' scenarios (lock, election, config) with real participants, in one command'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "bench" -d 'Measure lock handoff, failover, config propagation and process cost against the raw round trip'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "timeline" -d 'Draw what happened as an SVG timeline, from saved `zkdemo --json` events'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "man" -d 'Print a man page (roff): zkdemo\'s, or a subcommand\'s'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and not __fish_seen_subcommand_from lock elect config inspect server demo bench timeline man completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "watch" -d 'Print the config and then every change (version; keys added, changed, removed)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove keys from the config in one write'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print the config, or the value of one key'
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -f -a "floor"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -f -a "lock"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -f -a "elect"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -f -a "config"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -f -a "cost"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand bench" -f -a "all"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "lock"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "elect"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "config"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "config-get"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "config-set"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "config-unset"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "config-watch"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "inspect"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "server"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "demo"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "bench"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "timeline"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "man"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand man" -f -a "completions"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -f -a "bash"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -f -a "elvish"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -f -a "fish"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -f -a "powershell"
complete -c zkdemo -n "__fish_zkdemo_using_subcommand completions" -f -a "zsh"
