package graphsvc.devserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import sun.misc.Signal;

/**
 * A Neo4j DBMS (community edition) for development and tests: Bolt on
 * 127.0.0.1, authentication on, one line on stdout a shell can eval.
 *
 * <p>Usage: {@code java -jar neo4j-server.jar DATA_DIR [PORT]}; PORT 0 (the
 * default) takes a free port. The password of the {@code neo4j} user comes
 * from NEO4J_TEST_PASSWORD (an environment variable rather than an argument,
 * so it does not show in the process list); without it one is generated.
 */
public final class Neo4jDevServer {
    private static final String USER = "neo4j";
    private static final String PASSWORD_VARIABLE = "NEO4J_TEST_PASSWORD";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final String EXIT_WHEN_READY = "neo4jserver.exitWhenReady";

    private Neo4jDevServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: neo4j-server DATA_DIR [PORT]   (password from " + PASSWORD_VARIABLE + ")");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = args.length > 1 ? parsePort(args[1]) : 0;
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null || password.isEmpty()) {
            password = randomPassword();
        }

        // stdout carries exactly one line, the one to eval; anything Neo4j or
        // its libraries print goes to stderr instead.
        PrintStream announce = System.out;
        System.setOut(System.err);

        Files.createDirectories(home);

        AtomicReference<DatabaseManagementService> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService service = running.getAndSet(null);
            if (service != null) {
                service.shutdown();
            }
        }, "neo4j-shutdown"));
        // On SIGTERM / SIGINT the JVM would run the hook above but exit with
        // 128+signal; a stop that was asked for is a clean one, so exit 0.
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> System.exit(0));
        }

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Erased personal data must not linger in the transaction logs:
                // keep only the newest log file ("keep_none", the shortest
                // retention Neo4j accepts), rotate at 1 MiB rather than 256 MiB
                // so the file holding an erasure is soon an old one, and
                // checkpoint every minute, since old files are pruned at
                // checkpoints.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "keep_none")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 1024L * 1024L)
                .setConfig(GraphDatabaseSettings.check_point_interval_time, Duration.ofMinutes(1))
                // The machine is shared with the tests: a small page cache.
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024L * 1024L)
                // No internet to report usage to, and no wish to.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt's network threads wait this many quiet seconds before
                // stopping, twice over (5 s each by default, so 10 s per stop).
                // They stop after the databases have been checkpointed and
                // closed, so a shorter wait loses nothing and tests restart
                // the server sooner.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1)
                .build();
        running.set(service);

        GraphDatabaseService database = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!database.isAvailable(START_TIMEOUT.toMillis())) {
            System.err.println("Neo4j's default database did not come up within " + START_TIMEOUT);
            System.exit(1);
        }
        setPassword(service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);

        int boltPort = ((GraphDatabaseAPI) database)
                .getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT)
                .getPort();
        checkBoltAnswers(boltPort);

        announce.println("NEO4J_URI=bolt://127.0.0.1:" + boltPort + " GRAPHSVC_NEO4J_USER=" + USER
                + " GRAPHSVC_NEO4J_PASSWORD=" + shellWord(password));
        announce.flush();

        // run.sh starts the server once after a build with this set, so the
        // JVM can save the classes it loaded on the way (a CDS archive) and
        // later starts skip most of the class loading.
        if (Boolean.getBoolean(EXIT_WHEN_READY)) {
            System.exit(0);
        }
        new CountDownLatch(1).await();
    }

    /**
     * Sets the password on every start, so the one given now is the one that
     * works (also on a data directory made with another), and clears the
     * "change at first login" flag a new DBMS puts on the neo4j user.
     */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the one it already has.
            if (e.getMessage() == null || !e.getMessage().contains("cannot be the same")) {
                System.err.println("could not set the password of the " + USER + " user: " + e.getMessage());
                System.exit(2);
            }
            system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    /** A Bolt handshake: the server picks one of the versions offered, or answers 0. */
    private static void checkBoltAnswers(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {
                (byte) 0x60, (byte) 0x60, (byte) 0xB0, (byte) 0x17, // magic preamble
                0, 8, 8, 5, // 5.8 down to 5.0
                0, 0, 4, 4, // 4.4
                0, 0, 0, 0,
                0, 0, 0, 0
            });
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] version = in.readNBytes(4);
            if (version.length != 4 || (version[2] == 0 && version[3] == 0)) {
                throw new IOException("Bolt on port " + port + " did not agree a protocol version");
            }
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("PORT must be a number from 0 (a free port) to 65535, not " + text);
        System.exit(2);
        return -1;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The password as one shell word, quoted only when it needs to be. */
    private static String shellWord(String text) {
        if (text.matches("[A-Za-z0-9_.,:/@%+=-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
