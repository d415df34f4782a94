package io.strand.bench.jms.artemis;

import io.strand.bench.jms.process.Flags;
import io.strand.bench.jms.process.OrphanGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.nativo.jlibaio.LibaioContext;

/**
 * An embedded ActiveMQ Artemis broker in its own JVM, configured like the shared whole-system
 * harness' Artemis so the two sets of figures can be read side by side: persistence on, every
 * persistent send and transactional commit fsynced before it is confirmed ({@code journal-sync-*} and
 * {@code journal-datasync}, Artemis' defaults, set explicitly), the ASYNCIO (libaio) journal when the
 * native library loads and NIO otherwise, queues created on first use, security and JMX off, and a
 * CORE acceptor on 127.0.0.1 only. Prints its effective journal settings and then a line starting
 * with {@value #READY} once clients can connect; stops cleanly on SIGTERM.
 *
 * <pre>--data-dir DIR --port PORT [--journal ASYNCIO|NIO]</pre>
 */
public final class ArtemisBrokerMain {
    public static final String READY = "ARTEMIS READY";

    private ArtemisBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        OrphanGuard.start();
        Flags flags = Flags.parse(args, Set.of("data-dir", "port", "journal"));
        Path dataDir = Path.of(flags.required("data-dir")).toAbsolutePath();
        int port = flags.integer("port", 0, 1);
        Files.createDirectories(dataDir);
        boolean libaio = libaioLoads();
        String journal = flags.string("journal", libaio ? "ASYNCIO" : "NIO");
        if (journal.equals("ASYNCIO") && !libaio) {
            throw new IllegalStateException("--journal ASYNCIO needs libaio and libartemis-native-64 on "
                    + "java.library.path, and they do not load here; use --journal NIO");
        }

        Configuration config = new ConfigurationImpl();
        config.setName("jmsbench");
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalType(JournalType.valueOf(journal));
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        config.setJournalSyncTransactional(true);
        config.setJournalSyncNonTransactional(true);
        config.setJournalDatasync(true);
        config.addAcceptorConfiguration("netty", "tcp://127.0.0.1:" + port + "?protocols=CORE");
        config.addAddressSetting("#", new AddressSettings()
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));

        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        if (!broker.getActiveMQServer().getRemotingService().getAcceptor("netty").isStarted()) {
            throw new IllegalStateException("the acceptor on 127.0.0.1:" + port + " did not start");
        }
        Configuration effective = broker.getActiveMQServer().getConfiguration();
        System.out.println("artemis config: journal=" + effective.getJournalType() + " libaio=" + libaio
                + " syncTransactional=" + effective.isJournalSyncTransactional()
                + " syncNonTransactional=" + effective.isJournalSyncNonTransactional()
                + " datasync=" + effective.isJournalDatasync()
                + " bufferTimeoutNs(aio/nio)=" + effective.getJournalBufferTimeout_AIO() + "/"
                + effective.getJournalBufferTimeout_NIO()
                + " fileSize=" + effective.getJournalFileSize()
                + " globalMaxSize=" + effective.getGlobalMaxSize()
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
        System.out.println(READY + " on tcp://127.0.0.1:" + port);
        System.out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }, "artemis-shutdown"));
        stopped.await();
    }

    private static boolean libaioLoads() {
        try {
            return LibaioContext.isLoaded();
        } catch (LinkageError e) {
            return false;
        }
    }
}
