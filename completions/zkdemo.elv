
use builtin;
use str;

set edit:completion:arg-completer[zkdemo] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'zkdemo'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'zkdemo'= {
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand lock 'Take a distributed lock (kazoo- or Curator-compatible), a read lock, or a semaphore lease'
            cand elect 'Compete for leadership (kazoo- or Curator-compatible), or observe who leads'
            cand config 'Watch, set, get and unset a live configuration (a znode of key=value lines)'
            cand inspect 'Show locks, elections and configs as they are: once, as a tree, or live'
            cand server 'Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C'
            cand demo 'Play the original scripts'' scenarios (lock, election, config) with real participants, in one command'
            cand bench 'Measure lock handoff, failover, config propagation and process cost against the raw round trip'
            cand timeline 'Draw what happened as an SVG timeline, from saved `zkdemo --json` events'
            cand man 'Print a man page (roff): zkdemo''s, or a subcommand''s'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zkdemo;lock'= {
            cand --path 'The lock''s znode'
            cand --format 'Whose lock to speak: kazoo''s Lock/ReadLock (`<uuid>__lock__<seq>`), Curator''s InterProcessMutex (also go-zookeeper''s Lock), or Curator''s InterProcessReadWriteLock. A directory of another format''s nodes is refused (exit 2)'
            cand --max-leases 'A semaphore: up to N holders at once. kazoo''s Semaphore and its max_leases: lease nodes under --path, the limit stored as its data (a different one stored by others is refused, exit 2), acquisition in turn through a lock at `<path>-__lock__`. With --format curator, Curator''s InterProcessSemaphoreV2: leases under `<path>/leases`, acquisition through a mutex at `<path>/locks`, the limit not stored (agree on it)'
            cand --id 'This contender''s id, stored as its node''s data [default: <hostname>-<pid>]'
            cand --kill-grace 'After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right after SIGTERM). After a loss of contact, at most a quarter of --session-timeout'
            cand --hold 'Worker mode: how long to hold the lock each time; 0s releases it at once [default: 2s]'
            cand --pause 'Worker mode: how long to wait after releasing before queueing again; 0s queues again at once [default: 1s]'
            cand --count 'Worker mode: stop after this many acquisitions [default: until Ctrl-C]'
            cand -w 'Give up after waiting this long for the lock (0s: the same as -n)'
            cand --wait 'Give up after waiting this long for the lock (0s: the same as -n)'
            cand -E 'Exit code when giving up (-n, -w)'
            cand --conflict-exit-code 'Exit code when giving up (-n, -w)'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --shared 'Take the lock shared (a read lock): readers hold together, each waiting only for the writers ahead of it (kazoo''s ReadLock; Curator''s read side with --format curator-rw)'
            cand -n 'Give up at once if someone holds the lock'
            cand --nonblock 'Give up at once if someone holds the lock'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;elect'= {
            cand --path 'The election''s znode'
            cand --format 'Whose election to join: kazoo''s Election (`<uuid>__lock__<seq>`), Curator''s LeaderLatch (`_c_<uuid>-latch-<seq>`), or Curator''s LeaderSelector (which stands on Curator''s mutex, `-lock-`). A directory of another format''s nodes is refused (exit 2). `--observe` reads the format from the nodes it finds'
            cand --id 'This contender''s id, stored as its node''s data [default: <hostname>-<pid>]'
            cand --kill-grace 'After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right after SIGTERM). After a loss of contact, at most a quarter of --session-timeout'
            cand --lead 'Resign after leading this long, and queue again at the back'
            cand --count 'Exit after leading this many times'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --observe 'Do not campaign: print the current leader (with its node''s creation time: when it began to lead is not known) and every change (dated when it was seen)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;config'= {
            cand --name 'The config''s name: the node is /configs/NAME'
            cand --path 'Any znode instead of /configs/NAME'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand watch 'Print the config and then every change (version; keys added, changed, removed)'
            cand set 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)'
            cand unset 'Remove keys from the config in one write'
            cand get 'Print the config, or the value of one key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zkdemo;config;watch'= {
            cand --count 'Exit 0 after N changes (the state printed at start is not a change)'
            cand --exec 'Run CMD (with sh -c) after each change; the document on its stdin'
            cand --name 'The config''s name: the node is /configs/NAME'
            cand --path 'Any znode instead of /configs/NAME'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;config;set'= {
            cand --raw 'Replace the whole data with TEXT, whatever it holds. Without TEXT: interactive, each line of stdin replaces the whole data'
            cand --expect-version 'Write only if the node is at version V now (exit code 75 otherwise)'
            cand --name 'The config''s name: the node is /configs/NAME'
            cand --path 'Any znode instead of /configs/NAME'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;config;unset'= {
            cand --expect-version 'Write only if the node is at version V now (exit code 75 otherwise)'
            cand --name 'The config''s name: the node is /configs/NAME'
            cand --path 'Any znode instead of /configs/NAME'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;config;get'= {
            cand --name 'The config''s name: the node is /configs/NAME'
            cand --path 'Any znode instead of /configs/NAME'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --raw 'Print the data exactly as stored, whatever it holds (no newline added, nothing escaped)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;config;help'= {
            cand watch 'Print the config and then every change (version; keys added, changed, removed)'
            cand set 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)'
            cand unset 'Remove keys from the config in one write'
            cand get 'Print the config, or the value of one key'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zkdemo;config;help;watch'= {
        }
        &'zkdemo;config;help;set'= {
        }
        &'zkdemo;config;help;unset'= {
        }
        &'zkdemo;config;help;get'= {
        }
        &'zkdemo;config;help;help'= {
        }
        &'zkdemo;inspect'= {
            cand --role 'What the head of a lock/election queue is called (auto: guessed from the path)'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand -R 'Show the subtree under each path, indented, with child counts and data sizes'
            cand --tree 'Show the subtree under each path, indented, with child counts and data sizes'
            cand -w 'Stay, and show the new state whenever something shown changes (watches, not polling) until Ctrl-C. On a terminal the screen is redrawn in place'
            cand --watch 'Stay, and show the new state whenever something shown changes (watches, not polling) until Ctrl-C. On a terminal the screen is redrawn in place'
            cand --servers 'Ask each server of --zk for its mode, version, latency, connections and znode count (four-letter words srvr/mntr); needs no session'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;server'= {
            cand --nodes 'Number of servers: 1 (standalone) or 3 (an ensemble with a leader and two followers)'
            cand --port 'Client port of the first server; the others use the next ones. 0 picks free ports'
            cand --data-dir 'Keep the servers'' data here (one node-N/ per server, with its zoo.cfg and server.log). Default: a temporary directory removed on exit'
            cand --tick-time 'ZooKeeper''s tickTime. Sessions may last between 2 and 20 ticks'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;demo'= {
            cand --scenario 'Which scenario to play'
            cand --timeline 'Also draw what happened as an SVG timeline in this file (as `zkdemo timeline` draws a saved `--json` log)'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;bench'= {
            cand floor 'floor'
            cand lock 'lock'
            cand elect 'elect'
            cand config 'config'
            cand cost 'cost'
            cand all 'all'
            cand --contenders 'lock: contenders (separate sessions), one run per number'
            cand --rounds 'floor: samples per figure; lock: acquisitions per contender; elect: failovers'
            cand --candidates 'elect: candidate processes'
            cand --watchers 'config: watching sessions, one run per number'
            cand --sets 'config: writes per run'
            cand --starts 'cost: process starts to time'
            cand --path 'Work under this znode (a fresh child per run, removed afterwards)'
            cand --exe 'The zkdemo binary that elect and cost run [default: this one]'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --local 'Start a local standalone ZooKeeper for the run (ignores --zk)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;timeline'= {
            cand -o 'Where to write the SVG; `-` writes it to stdout'
            cand --output 'Where to write the SVG; `-` writes it to stdout'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;man'= {
            cand lock 'lock'
            cand elect 'elect'
            cand config 'config'
            cand config-get 'config-get'
            cand config-set 'config-set'
            cand config-unset 'config-unset'
            cand config-watch 'config-watch'
            cand inspect 'inspect'
            cand server 'server'
            cand demo 'demo'
            cand bench 'bench'
            cand timeline 'timeline'
            cand man 'man'
            cand completions 'completions'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;completions'= {
            cand bash 'bash'
            cand elvish 'elvish'
            cand fish 'fish'
            cand powershell 'powershell'
            cand zsh 'zsh'
            cand -z 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --zk 'ZooKeeper servers: host:port[,host:port…][/chroot]'
            cand --session-timeout 'Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says what it granted)'
            cand --connect-timeout 'How long to wait for a first session before giving up with exit code 69'
            cand --auth 'Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect)'
            cand --acl 'The ACL of the nodes zkdemo creates (what each value allows: see --help)'
            cand --json 'Print every event as one JSON object per line (with "event" and "ts")'
            cand -v 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand --verbose 'More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate)'
            cand -q 'Print only errors (and JSON events when --json is given)'
            cand --quiet 'Print only errors (and JSON events when --json is given)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'zkdemo;help'= {
            cand lock 'Take a distributed lock (kazoo- or Curator-compatible), a read lock, or a semaphore lease'
            cand elect 'Compete for leadership (kazoo- or Curator-compatible), or observe who leads'
            cand config 'Watch, set, get and unset a live configuration (a znode of key=value lines)'
            cand inspect 'Show locks, elections and configs as they are: once, as a tree, or live'
            cand server 'Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C'
            cand demo 'Play the original scripts'' scenarios (lock, election, config) with real participants, in one command'
            cand bench 'Measure lock handoff, failover, config propagation and process cost against the raw round trip'
            cand timeline 'Draw what happened as an SVG timeline, from saved `zkdemo --json` events'
            cand man 'Print a man page (roff): zkdemo''s, or a subcommand''s'
            cand completions 'Print the completion script for a shell'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'zkdemo;help;lock'= {
        }
        &'zkdemo;help;elect'= {
        }
        &'zkdemo;help;config'= {
            cand watch 'Print the config and then every change (version; keys added, changed, removed)'
            cand set 'Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin)'
            cand unset 'Remove keys from the config in one write'
            cand get 'Print the config, or the value of one key'
        }
        &'zkdemo;help;config;watch'= {
        }
        &'zkdemo;help;config;set'= {
        }
        &'zkdemo;help;config;unset'= {
        }
        &'zkdemo;help;config;get'= {
        }
        &'zkdemo;help;inspect'= {
        }
        &'zkdemo;help;server'= {
        }
        &'zkdemo;help;demo'= {
        }
        &'zkdemo;help;bench'= {
        }
        &'zkdemo;help;timeline'= {
        }
        &'zkdemo;help;man'= {
        }
        &'zkdemo;help;completions'= {
        }
        &'zkdemo;help;help'= {
        }
    ]
    $completions[$command]
}
