package io.ringswitch.topology.internet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab internet's servers in one process, run inside the internet namespace: HTTP on port 80
 * (a page that names the source address it saw) and DNS on UDP 53 ({@link DnsReplies}); every
 * request goes to the {@link InternetLog}. Prints {@value #READY} once both listen.
 *
 * <pre>java -cp ... io.ringswitch.topology.internet.InternetServer LOGFILE DNS-ADDRESS NAME=ADDRESS...</pre>
 * The DNS socket is bound to its address, not the wildcard: a reply must come from the address the
 * query went to, or the client drops it.
 */
public final class InternetServer {
    /** The line on standard output that says both servers listen. */
    public static final String READY = "internet servers ready";
    /** What the web server serves, so a client can tell the page from an error page. */
    public static final String PAGE = "RingSwitch lab internet: hello";
    private static final Logger LOG = LoggerFactory.getLogger(InternetServer.class);

    private final InternetLog log;
    private final DnsReplies dns;
    private long badQueries;

    InternetServer(InternetLog log, DnsReplies dns) {
        this.log = log;
        this.dns = dns;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: InternetServer LOGFILE DNS-ADDRESS [NAME=IPV4...]");
            System.exit(2);
        }
        Map<String, byte[]> names = new java.util.HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            names.put(kv[0].toLowerCase(), InetAddress.getByName(kv[1]).getAddress());
        }
        InternetServer server = new InternetServer(new InternetLog(Path.of(args[0])), new DnsReplies(names));
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(args[1]), 53));
        HttpServer http = HttpServer.create(new InetSocketAddress(80), 64);
        http.createContext("/", server::page);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
        System.out.println(READY);
        System.out.flush();
        server.serveDns(udp);
    }

    private void page(HttpExchange exchange) throws IOException {
        String source = exchange.getRemoteAddress().getAddress().getHostAddress();
        log.append("http", source, exchange.getRequestURI().getPath());
        byte[] body = (PAGE + " " + source + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void serveDns(DatagramSocket udp) throws IOException {
        byte[] buffer = new byte[1500];
        while (true) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            udp.receive(in);
            String source = in.getAddress().getHostAddress();
            Optional<DnsReplies.Question> q = DnsReplies.question(buffer, in.getLength());
            log.append("dns", source, q.map(DnsReplies.Question::name).orElse("(malformed)"));
            if (q.isEmpty() && Long.bitCount(++badQueries) == 1) {
                LOG.warn("malformed DNS query from {} ({} bytes); {} so far", source, in.getLength(), badQueries);
            }
            Optional<byte[]> reply = dns.reply(buffer, in.getLength());
            if (reply.isPresent()) {
                udp.send(new DatagramPacket(reply.get(), reply.get().length, in.getSocketAddress()));
            }
        }
    }
}
