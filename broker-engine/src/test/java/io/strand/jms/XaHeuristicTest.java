package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strand.admin.AdminException;
import io.strand.admin.DescribeTransactions;
import io.strand.admin.StrandAdmin;
import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.XaTransactions;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heuristic outcomes: an operator commits or rolls back a prepared branch through the admin API; the transaction
 * manager's later commit or rollback is answered XA_HEURCOM or XA_HEURRB, recover keeps listing the branch, and
 * forget ends it — across a broker restart too.
 */
class XaHeuristicTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dataDir;
    private StrandBroker broker;

    @BeforeEach
    void start() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private String url() {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    private static XaTransactions.BranchId branchId(Xid xid) {
        return new XaTransactions.BranchId(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    private void prepareSend(Xid xid, String text) throws Exception {
        try (XAConnection connection = new StrandXAConnectionFactory(url()).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            resource.start(xid, XAResource.TMNOFLAGS);
            session.createProducer(session.createQueue("heuristic")).send(session.createTextMessage(text));
            resource.end(xid, XAResource.TMSUCCESS);
            assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
        }
    }

    private static int xaCode(XAResource resource, boolean commit, Xid xid) {
        XAException e = catchThrowableOfType(XAException.class, () -> {
            if (commit) {
                resource.commit(xid, false);
            } else {
                resource.rollback(xid);
            }
        });
        assertThat(e).isNotNull();
        return e.errorCode;
    }

    @Test
    void anOperatorsDecisionIsReportedToTheTransactionManagerUntilItForgetsTheBranch() throws Exception {
        Xid committed = TestXid.of("heuristic-commit", "b");
        Xid rolledBack = TestXid.of("heuristic-rollback", "b");
        prepareSend(committed, "decided by an operator");
        prepareSend(rolledBack, "never");
        try (StrandAdmin admin = StrandAdmin.connect(url(), null, null)) {
            assertThat(admin.describeTransactions()).extracting(DescribeTransactions.Branch::state)
                    .containsExactly("PREPARED", "PREPARED");
            admin.decideTransaction(XaTransactions.BranchId.parse(branchId(committed).toString()), true);
            admin.decideTransaction(branchId(rolledBack), false);
            assertThat(admin.describeTransactions()).containsExactlyInAnyOrder(
                    new DescribeTransactions.Branch(branchId(committed), "HEURISTIC_COMMIT"),
                    new DescribeTransactions.Branch(branchId(rolledBack), "HEURISTIC_ROLLBACK"));
            assertThatThrownBy(() -> admin.decideTransaction(branchId(committed), false))
                    .isInstanceOfSatisfying(AdminException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.HEURISTIC_COMMIT));
        }
        try (Connection connection = new StrandConnectionFactory(url()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("heuristic"));
            connection.start();
            Message m = consumer.receive(WAIT_MS);
            assertThat(((TextMessage) m).getText()).isEqualTo("decided by an operator");
            assertThat(consumer.receive(300)).isNull();
        }
        broker.close();
        start(); // heuristic outcomes are kept across a restart until forgotten
        try (XAConnection connection = new StrandXAConnectionFactory(url()).createXAConnection()) {
            XAResource resource = connection.createXASession().getXAResource();
            List<Xid> listed = Arrays.asList(resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
            assertThat(listed).hasSize(2);
            assertThat(xaCode(resource, true, committed)).isEqualTo(XAException.XA_HEURCOM);
            assertThat(xaCode(resource, false, committed)).isEqualTo(XAException.XA_HEURCOM);
            assertThat(xaCode(resource, true, rolledBack)).isEqualTo(XAException.XA_HEURRB);
            assertThat(xaCode(resource, false, rolledBack)).isEqualTo(XAException.XA_HEURRB);
            resource.forget(committed);
            resource.forget(rolledBack);
            assertThat(resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
            assertThat(xaCode(resource, true, committed)).isEqualTo(XAException.XAER_NOTA);
            XAException twice = catchThrowableOfType(XAException.class, () -> resource.forget(committed));
            assertThat(twice.errorCode).isEqualTo(XAException.XAER_NOTA);
        }
    }
}
