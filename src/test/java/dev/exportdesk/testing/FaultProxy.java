package dev.exportdesk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback-only TCP proxy that injects network faults between a client and a server: close or
 * reset every connection once N bytes went upstream, black-hole (stall) them, add latency, throttle.
 * Each fault fires once, then the proxy passes traffic again, so a retry gets through. Bounded: at
 * most {@value #MAX_CONNECTIONS} connections, stalls end after {@value #MAX_STALL_MILLIS} ms.
 */
public final class FaultProxy implements AutoCloseable {
    static final int MAX_CONNECTIONS = 256;
    static final long MAX_STALL_MILLIS = 30_000;

    public enum Kind { CLOSE, RESET, STALL }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicLong upstream = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile Kind armed;
    private volatile long armedAt = Long.MAX_VALUE;
    private volatile int faultsFired;
    private volatile long latencyMillis;
    private volatile long bytesPerSecond;
    private volatile boolean closed;

    private FaultProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    public static FaultProxy start(int targetPort) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        FaultProxy p = new FaultProxy(ss, targetPort);
        Thread t = new Thread(p::acceptLoop, "fault-proxy-accept");
        t.setDaemon(true);
        t.start();
        return p;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes forwarded client → server since the start. */
    public long upstreamBytes() {
        return upstream.get();
    }

    public int faultsFired() {
        return faultsFired;
    }

    public long connectionsAccepted() {
        return connections.get();
    }

    /** One fault, fired when the upstream byte count (from now) passes {@code afterBytes}. */
    public synchronized void arm(Kind kind, long afterBytes) {
        armed = kind;
        armedAt = upstream.get() + afterBytes;
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    public void throttle(long bytesPerSecondLimit) {
        bytesPerSecond = bytesPerSecondLimit;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                    client.close();
                    continue;
                }
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, target);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private synchronized long admit(long n) {
        Kind kind = armed;
        if (kind == null) {
            return n;
        }
        long room = armedAt - upstream.get();
        return Math.max(0, Math.min(n, room));
    }

    private synchronized void fire() {
        Kind kind = armed;
        if (kind == null) {
            return;
        }
        armed = null;
        armedAt = Long.MAX_VALUE;
        faultsFired++;
        for (Link l : links) {
            switch (kind) {
                case CLOSE -> l.close(false);
                case RESET -> l.close(true);
                case STALL -> l.stalledSince = System.currentTimeMillis();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        links.forEach(l -> l.close(false));
    }

    private final class Link {
        final Socket client;
        final Socket target;
        volatile long stalledSince;
        volatile boolean down;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() {
            Thread up = new Thread(() -> pump(client, target, true), "fault-proxy-up");
            Thread downstream = new Thread(() -> pump(target, client, false), "fault-proxy-down");
            up.setDaemon(true);
            downstream.setDaemon(true);
            up.start();
            downstream.start();
        }

        void pump(Socket from, Socket to, boolean isUpstream) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    int off = 0;
                    if (blackHoled()) {
                        // a black hole: bytes vanish in both directions; when the client gives up and
                        // closes, the read above sees it and the link (and the server's side) closes
                        continue;
                    }
                    while (off < n) {
                        if (down) {
                            return;
                        }
                        int len = n - off;
                        if (isUpstream) {
                            long allowed = admit(len);
                            if (allowed == 0) {
                                fire();
                                if (blackHoled() || down) {
                                    break;
                                }
                                continue;
                            }
                            len = (int) allowed;
                            upstream.addAndGet(len);
                        }
                        pace(len);
                        out.write(buf, off, len);
                        out.flush();
                        off += len;
                    }
                }
            } catch (IOException e) {
                // the other side or a fault closed the link
            } finally {
                close(false);
            }
        }

        private boolean blackHoled() {
            if (stalledSince == 0) {
                return false;
            }
            if (System.currentTimeMillis() - stalledSince > MAX_STALL_MILLIS) {
                close(false);
            }
            return true;
        }

        private void pace(int len) {
            long sleep = latencyMillis;
            long bps = bytesPerSecond;
            if (bps > 0) {
                sleep += len * 1000L / bps;
            }
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void close(boolean reset) {
            down = true;
            try {
                if (reset) {
                    client.setSoLinger(true, 0);
                    target.setSoLinger(true, 0);
                }
            } catch (IOException e) {
                // already closed
            }
            try {
                client.close();
            } catch (IOException e) {
                // already closed
            }
            try {
                target.close();
            } catch (IOException e) {
                // already closed
            }
            links.remove(this);
        }
    }
}
