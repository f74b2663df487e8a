/*
 * The managed local Neo4j for Palisade: runs one or more independent Neo4j Community
 * instances (each its own directory and loopback Bolt port) inside one JVM, so that
 * tests and end-to-end runs of several nodes share one JVM's start-up cost and memory.
 *
 * Protocol with the parent process (src/db/managed-neo4j.ts), one line each on stdout:
 *   STARTED <name> bolt://127.0.0.1:<port>
 *   READY                                   every instance named on the command line is up
 *   STOPPED <name>
 *   ERROR <name> <message>
 * Commands on stdin (optional): "start <name> <port>", "stop <name>", "list", "shutdown".
 * When stdin closes the launcher shuts down, so a parent killed with -9 never leaves a
 * JVM behind; --detached turns that off for `palisade neo4j start`.
 */
package org.palisade.neo4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public final class Launcher {
    private static final PrintStream OUT = System.out;

    private final Path home;
    private final String password;
    private final String pageCache;
    private final String txMemory;
    private final Map<String, DatabaseManagementService> instances = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Launcher(Path home, String password, String pageCache, String txMemory) {
        this.home = home;
        this.password = password;
        this.pageCache = pageCache;
        this.txMemory = txMemory;
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        String password = System.getenv().getOrDefault("PALISADE_NEO4J_PASSWORD", "");
        String pageCache = "128m";
        String txMemory = "512m";
        boolean detached = false;
        List<String[]> initial = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home" -> home = Path.of(need(args, ++i, a)).toAbsolutePath();
                case "--instance" -> {
                    String spec = need(args, ++i, a);
                    String[] parts = spec.split(":");
                    if (parts.length != 2 || !validName(parts[0])) {
                        fail("--instance must be NAME:PORT with NAME of [a-z0-9-], got " + spec);
                    }
                    initial.add(parts);
                }
                case "--pagecache" -> pageCache = need(args, ++i, a);
                case "--tx-memory" -> txMemory = need(args, ++i, a);
                case "--detached" -> detached = true;
                default -> fail("unknown argument " + a);
            }
        }
        if (home == null) fail("--home DIR is required");
        if (initial.isEmpty()) fail("at least one --instance NAME:PORT is required");

        Launcher launcher = new Launcher(home, password, pageCache, txMemory);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::stopAll, "palisade-neo4j-shutdown"));
        for (String[] spec : initial) {
            if (!launcher.start(spec[0], parsePort(spec[1]))) {
                launcher.stopAll();
                System.exit(1);
            }
        }
        say("READY");
        if (detached) {
            launcher.stopped.await();
        } else {
            launcher.readCommands();
        }
        launcher.stopAll();
        System.exit(0);
    }

    private void readCommands() throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                switch (words[0]) {
                    case "start" -> {
                        if (words.length == 3 && validName(words[1])) {
                            start(words[1], parsePort(words[2]));
                        } else {
                            say("ERROR - usage: start NAME PORT");
                        }
                    }
                    case "stop" -> {
                        if (words.length == 2) stop(words[1]);
                        else say("ERROR - usage: stop NAME");
                    }
                    case "list" -> {
                        synchronized (instances) {
                            for (String name : instances.keySet()) say("RUNNING " + name);
                        }
                        say("LISTED");
                    }
                    case "shutdown" -> {
                        return;
                    }
                    case "" -> { }
                    default -> say("ERROR - unknown command " + words[0]);
                }
            }
        }
    }

    private boolean start(String name, int port) {
        synchronized (instances) {
            if (instances.containsKey(name)) {
                say("STARTED " + name + " bolt://127.0.0.1:" + port);
                return true;
            }
        }
        Path dir = home.resolve(name);
        try {
            Files.createDirectories(dir);
            Path conf = dir.resolve("neo4j.conf");
            // Raw settings keep the launcher independent of setting classes that move
            // between 5.x patch releases.
            String settings = String.join("\n",
                    "server.bolt.enabled=true",
                    "server.bolt.listen_address=127.0.0.1:" + port,
                    "server.bolt.advertised_address=127.0.0.1:" + port,
                    "server.http.enabled=false",
                    "server.https.enabled=false",
                    "server.memory.pagecache.size=" + pageCache,
                    "dbms.memory.transaction.total.max=" + txMemory,
                    "dbms.security.auth_enabled=" + (!password.isEmpty()),
                    "dbms.usage_report.enabled=false",
                    "db.tx_log.rotation.retention_policy=2 files",
                    "");
            Files.writeString(conf, settings, StandardCharsets.UTF_8);
            DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dir)
                    .loadPropertiesFromFile(conf)
                    .build();
            if (!password.isEmpty()) {
                setPassword(dbms);
            }
            synchronized (instances) {
                instances.put(name, dbms);
            }
            say("STARTED " + name + " bolt://127.0.0.1:" + port);
            return true;
        } catch (Exception e) {
            say("ERROR " + name + " " + oneLine(e));
            return false;
        }
    }

    private void setPassword(DatabaseManagementService dbms) {
        // Embedded code runs with full rights, so it can set the initial password that a
        // server install would ask for interactively.
        GraphDatabaseService system = dbms.database("system");
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // A restart over an existing directory: the password is already the one we want.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private void stop(String name) {
        DatabaseManagementService dbms;
        synchronized (instances) {
            dbms = instances.remove(name);
        }
        if (dbms != null) {
            dbms.shutdown();
        }
        say("STOPPED " + name);
    }

    private void stopAll() {
        List<String> names;
        synchronized (instances) {
            names = new ArrayList<>(instances.keySet());
        }
        for (String name : names) {
            try {
                stop(name);
            } catch (RuntimeException e) {
                say("ERROR " + name + " " + oneLine(e));
            }
        }
        stopped.countDown();
    }

    private static synchronized void say(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private static String need(String[] args, int i, String flag) {
        if (i >= args.length) fail(flag + " needs a value");
        return args[i];
    }

    private static boolean validName(String name) {
        return name.matches("[a-z0-9][a-z0-9-]{0,62}");
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) fail("port out of range: " + text);
            return port;
        } catch (NumberFormatException e) {
            fail("port is not a number: " + text);
            return -1;
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = e.getMessage() + (root != e ? " (" + root.getMessage() + ")" : "");
        return msg.replace('\n', ' ');
    }

    private static void fail(String message) {
        System.err.println("palisade-neo4j: " + message);
        System.exit(2);
    }
}
