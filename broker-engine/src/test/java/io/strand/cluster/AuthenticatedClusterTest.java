package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.strand.admin.StrandAdmin;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Replication;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.DataInputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers with users and a cluster secret (their membership traffic encrypted): the followers log in to their
 * leader as the replication user, an admin, so every
 * partition is replicated and the next active broker serves what the first one acknowledged; a replica connection
 * with a wrong password, or as a user who is not an admin, is refused.
 */
class AuthenticatedClusterTest {
    @TempDir
    Path dir;

    private static Properties withUsers() {
        Properties settings = new Properties();
        settings.setProperty("auth.users", "ops:secret,app:app-pass");
        settings.setProperty("auth.admins", "ops");
        settings.setProperty("cluster.replication.user", "ops");
        settings.setProperty("cluster.replication.password", "secret");
        settings.setProperty("cluster.secret", "the test cluster's own secret"); // membership traffic encrypted too
        return settings;
    }

    private static String url(StrandBroker broker) {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    @Test
    void followersLogInAsTheReplicationUserAndEveryAcknowledgedMessageSurvivesTheActiveBroker() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, withUsers())) {
            for (StrandBroker broker : cluster.brokers()) {
                Object encryption = ClusterFailoverTest.nodeOf(broker).channel().getProtocolStack()
                        .findProtocol(SYM_ENCRYPT.class);
                assertThat(encryption).as("membership traffic encrypted").isNotNull();
            }
            StrandBroker first = InJvmCluster.awaitActive(cluster.brokers());
            try (StrandAdmin admin = StrandAdmin.connect(url(first), "ops", "secret")) {
                admin.createDestination(DestinationType.QUEUE, "orders", 1);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(admin.describeDestinations(DestinationType.QUEUE, "orders").get(0).partitions()
                                .get(0).isr()).hasSize(3));
            }
            try (Connection connection = new StrandConnectionFactory(url(first)).createConnection("app", "app-pass")) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("orders"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < 20; i++) {
                    producer.send(session.createTextMessage("order-" + i));
                }
            }
            first.close();
            List<StrandBroker> survivors = new ArrayList<>(cluster.brokers());
            survivors.remove(first);
            StrandBroker next = InJvmCluster.awaitActive(survivors);
            assertThat(InJvmCluster.receiveAll(url(next), "orders", "app", "app-pass")).hasSize(20)
                    .startsWith("order-0").endsWith("order-19");
        }
    }

    @Test
    void aReplicaConnectionWithAWrongPasswordOrAsAUserWhoIsNotAnAdminIsRefused() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, withUsers())) {
            StrandBroker broker = cluster.brokers().get(0);
            assertThat(replicaHandshake(broker, "ops", "guess").status().error())
                    .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            Handshake.Response notAdmin = replicaHandshake(broker, "app", "app-pass");
            assertThat(notAdmin.status().error()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(notAdmin.status().message()).contains("only as a user named by auth.admins");
            assertThat(replicaHandshake(broker, null, null).status().error()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(replicaHandshake(broker, "ops", "secret").status().isOk()).isTrue();
        }
    }

    /** A follower's handshake, as a broker's replica fetcher sends it, on a socket of its own. */
    private static Handshake.Response replicaHandshake(StrandBroker broker, String user, String password)
            throws Exception {
        try (Socket socket = new Socket(broker.address().getAddress(), broker.address().getPort())) {
            socket.setSoTimeout(10_000);
            ByteBuf frame = Unpooled.buffer();
            int start = new FrameHeader(ApiKey.HANDSHAKE.id, (short) 0, 1).begin(frame);
            new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null,
                    Replication.REPLICA_CLIENT_SOFTWARE, user, password).writeTo(frame);
            FrameHeader.finish(frame, start);
            socket.getOutputStream().write(ByteBufUtil.getBytes(frame));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            FrameReader reader = new FrameReader(Unpooled.wrappedBuffer(answer));
            FrameHeader.read(reader);
            return Handshake.Response.readFrom(reader);
        }
    }
}
