package io.strand.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TransactionInProgressException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.security.PasswordCredential;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound side against an embedded broker, without a container: the tests play the container's part
 * (allocating, enlisting in a local transaction, cleaning up) and check what the application sees.
 */
class OutboundHandlesTest {
    @TempDir
    Path dir;

    private String url;
    private StrandManagedConnectionFactory factory;
    private final List<StrandManagedConnection> opened = new ArrayList<>();
    private JMSContext observer;

    @BeforeEach
    void setUp() throws ResourceException {
        url = "vm://ra-outbound?dataDir=" + dir.resolve("broker");
        final StrandResourceAdapter adapter = new StrandResourceAdapter();
        adapter.setBrokerUrl(url);
        factory = new StrandManagedConnectionFactory();
        factory.setResourceAdapter(adapter);
        // Keeps the embedded broker up between the managed connections of a test.
        observer = new StrandConnectionFactory(url).createContext();
    }

    @AfterEach
    void tearDown() {
        for (StrandManagedConnection connection : opened) {
            connection.destroyQuietly();
        }
        observer.close();
        // The embedded broker stops by itself once its last vm:// connection is closed; the temporary directory
        // can go once it has.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dir.resolve("broker").resolve(".clean-shutdown")).exists());
    }

    private StrandManagedConnection managed(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        final StrandManagedConnection connection = (StrandManagedConnection) factory.createManagedConnection(subject, info);
        opened.add(connection);
        return connection;
    }

    private ConnectionHandle handle(StrandManagedConnection connection) throws ResourceException {
        return (ConnectionHandle) connection.getConnection(null, null);
    }

    private String receiveText(String queue) {
        final JMSConsumer consumer = observer.createConsumer(observer.createQueue(queue));
        try {
            return consumer.receiveBody(String.class, 300);
        } finally {
            consumer.close();
        }
    }

    private static void send(Connection connection, String queue, String text) throws Exception {
        final Session session = connection.createSession();
        session.createProducer(session.createQueue(queue)).send(session.createTextMessage(text));
        session.close();
    }

    // ---- matching ----------------------------------------------------------------------------

    @Test
    void aPooledConnectionServesOnlyTheSameCredentialsOfTheSameFactory() throws Exception {
        final StrandManagedConnection anonymous = managed(null, null);
        final StrandManagedConnection alice = managed(null, new StrandConnectionRequestInfo(new Credentials("alice", "pw")));
        final Set<StrandManagedConnection> pool = Set.of(anonymous, alice);

        assertThat(factory.matchManagedConnections(pool, null, new StrandConnectionRequestInfo(new Credentials("alice", "pw"))))
                .isSameAs(alice);
        assertThat(factory.matchManagedConnections(pool, null, null)).isSameAs(anonymous);
        assertThat(factory.matchManagedConnections(pool, null,
                new StrandConnectionRequestInfo(new Credentials("alice", "other")))).isNull();
        assertThat(factory.matchManagedConnections(pool, null, new StrandConnectionRequestInfo(new Credentials("bob", "pw"))))
                .isNull();

        final StrandManagedConnectionFactory elsewhere = new StrandManagedConnectionFactory();
        elsewhere.setBrokerUrl("strand://127.0.0.1:1");
        assertThat(elsewhere.matchManagedConnections(pool, null, null)).isNull();
    }

    @Test
    void aDestroyedConnectionIsNeverMatched() throws Exception {
        final StrandManagedConnection connection = managed(null, null);
        connection.destroy();

        assertThat(factory.matchManagedConnections(Set.of(connection), null, null)).isNull();
    }

    @Test
    void aContainerCredentialForThisFactoryWinsOverTheRequest() {
        final Subject subject = new Subject();
        final PasswordCredential credential = new PasswordCredential("carol", "secret".toCharArray());
        credential.setManagedConnectionFactory(factory);
        subject.getPrivateCredentials().add(credential);

        assertThat(factory.credentialsFor(subject, new StrandConnectionRequestInfo(new Credentials("bob", "pw"))))
                .isEqualTo(new Credentials("carol", "secret"));
    }

    @Test
    void factoriesWithTheSameSettingsAreEqual() {
        final StrandManagedConnectionFactory a = new StrandManagedConnectionFactory();
        final StrandManagedConnectionFactory b = new StrandManagedConnectionFactory();
        a.setBrokerUrl("strand://127.0.0.1:61617");
        b.setBrokerUrl("strand://127.0.0.1:61617");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        b.setUserName("alice");
        assertThat(a).isNotEqualTo(b);
    }

    // ---- JMS 3.1 section 12 rules --------------------------------------------------------------

    @Test
    void whatAContainerForbidsThrowsIllegalStateException() throws Exception {
        final ConnectionHandle connection = handle(managed(null, null));

        assertThatThrownBy(() -> connection.setClientID("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("section 12.2");
        assertThatThrownBy(() -> connection.setExceptionListener(e -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::stop).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> connection.createConnectionConsumer((Queue) null, null, null, 1))
                .isInstanceOf(IllegalStateException.class);

        final Session session = connection.createSession(true, Session.CLIENT_ACKNOWLEDGE);
        assertThatThrownBy(connection::createSession).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only one session");
        assertThatThrownBy(() -> session.setMessageListener(m -> { })).isInstanceOf(IllegalStateException.class);
        final MessageConsumer consumer = session.createConsumer(session.createQueue("rules"));
        assertThatThrownBy(() -> consumer.setMessageListener(m -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(consumer::getMessageListener).isInstanceOf(IllegalStateException.class);

        // Outside a transaction the arguments are ignored: not transacted, automatic acknowledgement.
        assertThat(session.getTransacted()).isFalse();
        assertThat(session.getAcknowledgeMode()).isEqualTo(Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(session::commit).isInstanceOf(IllegalStateException.class);

        session.close();
        assertThat(connection.createSession()).isNotNull();
    }

    @Test
    void aJMSContextFollowsTheSameRules() throws Exception {
        final ConnectionFactoryHandle cf = new ConnectionFactoryHandle(factory, new DirectConnectionManager());
        try (JMSContext context = cf.createContext()) {
            assertThatThrownBy(() -> context.setClientID("x")).isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(context::stop).isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(() -> context.createContext(JMSContext.AUTO_ACKNOWLEDGE))
                    .isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(() -> context.createConsumer(context.createQueue("rules")).setMessageListener(m -> { }))
                    .isInstanceOf(IllegalStateRuntimeException.class);

            context.createProducer().setProperty("region", "eu").setJMSType("order")
                    .send(context.createQueue("ctx"), "through the context");
        }
        final Message received = observer.createConsumer(observer.createQueue("ctx")).receive(5_000);
        assertThat(received.getBody(String.class)).isEqualTo("through the context");
        assertThat(received.getStringProperty("region")).isEqualTo("eu");
        assertThat(received.getJMSType()).isEqualTo("order");
    }

    @Test
    void anAdministeredQueueIsAcceptedWhereAQueueGoes() throws Exception {
        final ConnectionHandle connection = handle(managed(null, null));
        final QueueAdministeredObject queue = new QueueAdministeredObject();
        queue.setName("administered");

        final Session session = connection.createSession();
        session.createProducer(queue).send(session.createTextMessage("to the administered queue"));

        assertThat(receiveText("administered")).isEqualTo("to the administered queue");
        assertThatThrownBy(() -> new QueueAdministeredObject().setName("bad/name"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- transactions ------------------------------------------------------------------------

    @Test
    void sendsInALocalTransactionAreDeliveredOnlyWhenTheContainerCommits() throws Exception {
        final StrandManagedConnection managed = managed(null, null);

        final LocalTransaction rolledBack = managed.getLocalTransaction();
        rolledBack.begin();
        final ConnectionHandle first = handle(managed);
        final Session session = first.createSession();
        assertThat(session.getTransacted()).isTrue();
        assertThatThrownBy(session::commit).isInstanceOf(TransactionInProgressException.class);
        session.close();
        send(first, "tx", "rolled back");
        first.close();
        rolledBack.rollback();
        managed.cleanup();
        assertThat(receiveText("tx")).isNull();

        final LocalTransaction committed = managed.getLocalTransaction();
        committed.begin();
        final ConnectionHandle second = handle(managed);
        send(second, "tx", "committed");
        second.close();
        assertThat(receiveText("tx")).isNull();
        committed.commit();

        assertThat(receiveText("tx")).isEqualTo("committed");
    }

    @Test
    void sendsInAGlobalTransactionAreDeliveredOnlyWhenTheTransactionManagerCommits() throws Exception {
        final StrandManagedConnection managed = managed(null, null);
        final XAResource resource = managed.getXAResource();

        final Xid rolledBack = xid(1);
        resource.start(rolledBack, XAResource.TMNOFLAGS);
        final ConnectionHandle first = handle(managed);
        send(first, "xa", "rolled back");
        first.close();
        resource.end(rolledBack, XAResource.TMSUCCESS);
        resource.rollback(rolledBack);
        managed.cleanup();
        assertThat(receiveText("xa")).isNull();

        final Xid committed = xid(2);
        resource.start(committed, XAResource.TMNOFLAGS);
        final ConnectionHandle second = handle(managed);
        send(second, "xa", "committed");
        second.close();
        resource.end(committed, XAResource.TMSUCCESS);
        assertThat(receiveText("xa")).isNull();
        assertThat(resource.prepare(committed)).isEqualTo(XAResource.XA_OK);
        resource.commit(committed, false);

        assertThat(receiveText("xa")).isEqualTo("committed");
    }

    private static Xid xid(int id) {
        return new Xid() {
            @Override public int getFormatId() { return 0x5354; }
            @Override public byte[] getGlobalTransactionId() { return new byte[] {(byte) id}; }
            @Override public byte[] getBranchQualifier() { return new byte[] {1}; }
        };
    }

    // ---- events and cleanup ------------------------------------------------------------------

    @Test
    void closingAHandleTellsTheContainerAndCleanupInvalidatesForgottenOnes() throws Exception {
        final StrandManagedConnection managed = managed(null, null);
        final List<ConnectionEvent> events = new ArrayList<>();
        managed.addConnectionEventListener(new RecordingListener(events));

        final ConnectionHandle closed = handle(managed);
        closed.close();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getId()).isEqualTo(ConnectionEvent.CONNECTION_CLOSED);
            assertThat(e.getConnectionHandle()).isSameAs(closed);
        });

        final ConnectionHandle forgotten = handle(managed);
        forgotten.createSession();
        managed.cleanup();
        assertThatThrownBy(forgotten::createSession).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(events).hasSize(1);

        // The same managed connection serves the next handle with a fresh session.
        send(handle(managed), "reuse", "after cleanup");
        assertThat(receiveText("reuse")).isEqualTo("after cleanup");
    }

    /** The simplest container: no pool, no transaction, one managed connection per allocation. */
    private final class DirectConnectionManager implements ConnectionManager {
        @Override
        public Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info) throws ResourceException {
            return managed(null, info).getConnection(null, info);
        }
    }

    private record RecordingListener(List<ConnectionEvent> events) implements ConnectionEventListener {
        @Override public void connectionClosed(ConnectionEvent event) { events.add(event); }
        @Override public void localTransactionStarted(ConnectionEvent event) { events.add(event); }
        @Override public void localTransactionCommitted(ConnectionEvent event) { events.add(event); }
        @Override public void localTransactionRolledback(ConnectionEvent event) { events.add(event); }
        @Override public void connectionErrorOccurred(ConnectionEvent event) { events.add(event); }
    }
}
