import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.data.Stat;

/**
 * A real Apache Curator contender for interoperability tests (tests/common/curator.rs).
 *
 * <pre>
 * CuratorPeer CONNECT RECIPE PATH ID [--rounds N] [--hold-ms H] [--pause-ms P] [--session-ms S]
 *             [--max-leases M]
 * </pre>
 *
 * RECIPE: mutex (InterProcessMutex), read / write (the two sides of InterProcessReadWriteLock),
 * latch (LeaderLatch with id ID, a fresh one per round), selector (LeaderSelector, setId(ID),
 * autoRequeue), semaphore (InterProcessSemaphoreV2 of M leases, node data ID). Each round holds for H ms (default: until killed), then lets go; P ms pass
 * between rounds (locks and latch; a selector re-queues at once). After N rounds (default 1)
 * it closes and exits 0.
 *
 * One JSON object per line on stdout:
 * {"event":"ready"} once connected;
 * {"event":"acquired"|"leader","ts":..,"id":..,"seq":..,"node":..} when a hold starts (the
 * node is ours, seq its last 10 characters);
 * {"event":"released"|"stepped-down","ts":..,"id":..} just before the hold ends, so that the
 * intervals of correct holders never overlap;
 * {"event":"connection","ts":..,"id":..,"state":..} on a connection state change;
 * {"event":"closed"} after SIGTERM closed the recipe and the session (a hold in progress is
 * ended by a "released"/"stepped-down" first). SIGKILL leaves the session to expire.
 */
public class CuratorPeer {
    static String id;
    static CuratorFramework client;
    /** The recipe to close on SIGTERM (latch, selector); locks go with the session. */
    static volatile Closeable recipe;

    static final Object OUT = new Object();
    // Guarded by OUT.
    static boolean closing; // SIGTERM: the shutdown hook owns the end
    static boolean finished; // the rounds are done: main owns the end
    static String holding; // the event that ends the hold in progress, or null

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            usage("expected CONNECT RECIPE PATH ID");
        }
        String connect = args[0], kind = args[1], path = args[2];
        id = args[3];
        int rounds = 1, sessionMs = 2000, maxLeases = 0;
        long holdMs = -1, pauseMs = 0;
        for (int i = 4; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            long v = Long.parseLong(args[i + 1]);
            switch (args[i]) {
                case "--rounds" -> rounds = (int) v;
                case "--hold-ms" -> holdMs = v;
                case "--pause-ms" -> pauseMs = v;
                case "--session-ms" -> sessionMs = (int) v;
                case "--max-leases" -> maxLeases = (int) v;
                default -> usage("unknown option " + args[i]);
            }
        }
        if (kind.equals("selector") && pauseMs > 0) {
            usage("--pause-ms: a selector re-queues (autoRequeue) as soon as it steps down");
        }

        client = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(10000)
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 1000))
                .defaultData(id.getBytes(StandardCharsets.UTF_8))
                .build();
        AtomicInteger states = new AtomicInteger();
        client.getConnectionStateListenable().addListener((c, state) -> {
            // The first CONNECTED is what "ready" says.
            if (states.getAndIncrement() > 0 || state != ConnectionState.CONNECTED) {
                emit("{\"event\":\"connection\",\"ts\":\"" + Instant.now() + "\",\"id\":" + q(id)
                        + ",\"state\":\"" + state + "\"}");
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(CuratorPeer::shutdown));
        try {
            client.start();
            if (!client.blockUntilConnected(20, TimeUnit.SECONDS)) {
                System.err.println("CuratorPeer: no connection to " + connect + " in 20 s");
                System.exit(2);
            }
            emit("{\"event\":\"ready\"}");
            switch (kind) {
                case "mutex" -> {
                    Mutex m = new Mutex(client, path);
                    locks(m, m::ours, rounds, holdMs, pauseMs);
                }
                case "write" -> {
                    Write w = new Write(client, path, id);
                    locks(w, w::ours, rounds, holdMs, pauseMs);
                }
                case "read" -> {
                    Read r = new Read(client, path, id, new Write(client, path, id));
                    locks(r, r::ours, rounds, holdMs, pauseMs);
                }
                case "latch" -> latch(path, rounds, holdMs, pauseMs);
                case "selector" -> selector(path, rounds, holdMs);
                case "semaphore" -> semaphore(path, maxLeases, rounds, holdMs, pauseMs);
                default -> usage("unknown recipe " + kind
                        + " (mutex, read, write, latch, selector, semaphore)");
            }
            synchronized (OUT) {
                if (closing) {
                    throw new Closing();
                }
                finished = true;
            }
            Closeable r = recipe;
            if (r != null) {
                r.close();
            }
            client.close();
            System.exit(0);
        } catch (Throwable t) {
            if (isClosing()) {
                parkForever(); // the shutdown hook closed what we were using; the JVM halts after it
            }
            t.printStackTrace();
            System.exit(1);
        }
    }

    /** InterProcessMutex and the two InterProcessReadWriteLock sides: our node's path. */
    static final class Mutex extends InterProcessMutex {
        Mutex(CuratorFramework c, String path) {
            super(c, path);
        }

        String ours() {
            return getLockPath();
        }
    }

    static final class Write extends InterProcessReadWriteLock.WriteLock {
        Write(CuratorFramework c, String path, String id) {
            super(c, path, id.getBytes(StandardCharsets.UTF_8));
        }

        String ours() {
            return getLockPath();
        }
    }

    static final class Read extends InterProcessReadWriteLock.ReadLock {
        Read(CuratorFramework c, String path, String id, InterProcessReadWriteLock.WriteLock w) {
            super(c, path, id.getBytes(StandardCharsets.UTF_8), w);
        }

        String ours() {
            return getLockPath();
        }
    }

    static void locks(InterProcessMutex lock, java.util.function.Supplier<String> ours, int rounds,
            long holdMs, long pauseMs) throws Exception {
        for (int r = 1; r <= rounds; r++) {
            lock.acquire();
            begin("acquired", "released", name(ours.get()));
            sleep(holdMs);
            end();
            lock.release();
            if (r < rounds) {
                sleep(pauseMs);
            }
        }
    }

    /** InterProcessSemaphoreV2: each round takes one lease (node data: our id). */
    static void semaphore(String path, int maxLeases, int rounds, long holdMs, long pauseMs)
            throws Exception {
        if (maxLeases < 1) {
            usage("semaphore needs --max-leases M (at least 1)");
        }
        InterProcessSemaphoreV2 sem = new InterProcessSemaphoreV2(client, path, maxLeases);
        sem.setNodeData(id.getBytes(StandardCharsets.UTF_8));
        for (int r = 1; r <= rounds; r++) {
            Lease lease = sem.acquire();
            begin("acquired", "released", name(lease.getNodeName()));
            sleep(holdMs);
            end();
            lease.close();
            if (r < rounds) {
                sleep(pauseMs);
            }
        }
    }

    static void latch(String path, int rounds, long holdMs, long pauseMs) throws Exception {
        for (int r = 1; r <= rounds; r++) {
            LeaderLatch latch = new LeaderLatch(client, path, id);
            recipe = latch;
            latch.start();
            latch.await();
            String ours = latch.getOurPath();
            begin("leader", "stepped-down", ours != null ? name(ours) : ownNode(path, "-latch-"));
            sleep(holdMs);
            end();
            recipe = null;
            latch.close();
            if (r < rounds) {
                sleep(pauseMs);
            }
        }
    }

    static void selector(String path, int rounds, long holdMs) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger led = new AtomicInteger();
        LeaderSelector[] self = new LeaderSelector[1];
        LeaderSelector s = new LeaderSelector(client, path, new LeaderSelectorListenerAdapter() {
            @Override
            public void takeLeadership(CuratorFramework c) throws Exception {
                if (led.get() >= rounds) {
                    return; // closing: never hold unannounced
                }
                begin("leader", "stepped-down", ownNode(path, "-lock-"));
                sleep(holdMs);
                end();
                if (led.incrementAndGet() >= rounds) {
                    // Closed before we return, so autoRequeue does not queue us again.
                    recipe = null;
                    self[0].close();
                    done.countDown();
                }
            }
        });
        self[0] = s;
        s.setId(id);
        s.autoRequeue();
        recipe = s;
        s.start();
        done.await();
    }

    /**
     * Our node under PATH whose name holds MARKER, found by its owner (our session) for the
     * recipes that do not tell (LeaderSelector).
     */
    static String ownNode(String path, String marker) throws Exception {
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        List<String> children = client.getChildren().forPath(path);
        children.sort(null);
        for (String child : children) {
            if (!child.contains(marker)) {
                continue;
            }
            Stat st = client.checkExists().forPath(path + "/" + child);
            if (st != null && st.getEphemeralOwner() == session) {
                return child;
            }
        }
        throw new IllegalStateException("no node of ours (" + marker + ") under " + path + ": " + children);
    }

    static String name(String fullPath) {
        return fullPath.substring(fullPath.lastIndexOf('/') + 1);
    }

    /** Say that a hold starts; END is the event that will end it. */
    static void begin(String event, String end, String node) {
        int seq = Integer.parseInt(node.substring(node.length() - 10));
        synchronized (OUT) {
            if (closing) {
                throw new Closing();
            }
            print("{\"event\":\"" + event + "\",\"ts\":\"" + Instant.now() + "\",\"id\":" + q(id)
                    + ",\"seq\":" + seq + ",\"node\":" + q(node) + "}");
            holding = end;
        }
    }

    /** Say that the hold ends (before it does: the next holder cannot have started yet). */
    static void end() {
        synchronized (OUT) {
            if (closing) {
                throw new Closing();
            }
            print("{\"event\":\"" + holding + "\",\"ts\":\"" + Instant.now() + "\",\"id\":" + q(id) + "}");
            holding = null;
        }
    }

    /** SIGTERM (or any JVM exit main did not finish): close the recipe and the session. */
    static void shutdown() {
        synchronized (OUT) {
            if (finished || closing) {
                return;
            }
            closing = true;
            if (holding != null) {
                print("{\"event\":\"" + holding + "\",\"ts\":\"" + Instant.now() + "\",\"id\":" + q(id) + "}");
                holding = null;
            }
        }
        try {
            Closeable r = recipe;
            if (r != null) {
                r.close();
            }
        } catch (Throwable ignore) {
            // already closed, or never started: the session's end removes the nodes anyway
        }
        client.close();
        synchronized (OUT) {
            print("{\"event\":\"closed\"}");
        }
    }

    /** Thrown where a hold would begin or end once SIGTERM's shutdown hook took over. */
    static final class Closing extends RuntimeException {
    }

    static boolean isClosing() {
        synchronized (OUT) {
            return closing;
        }
    }

    static void emit(String line) {
        synchronized (OUT) {
            if (!closing) {
                print(line);
            }
        }
    }

    static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms < 0 ? Long.MAX_VALUE : ms);
    }

    static void parkForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignore) {
                // keep waiting for the JVM to halt
            }
        }
    }

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static void usage(String why) {
        System.err.println("CuratorPeer: " + why + "\nusage: CuratorPeer CONNECT mutex|read|write|latch|selector"
                + " PATH ID [--rounds N] [--hold-ms H] [--pause-ms P] [--session-ms S]"
                + " [--max-leases M]");
        System.exit(64);
    }
}
