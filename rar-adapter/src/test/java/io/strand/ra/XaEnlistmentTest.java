package io.strand.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;

/**
 * How a managed connection follows the container's global transactions through its XA resource, checked with
 * stand-ins for the provider's XA connection, session and resource.
 */
class XaEnlistmentTest {
    private static final Xid XID = new Xid() {
        @Override public int getFormatId() { return 1; }
        @Override public byte[] getGlobalTransactionId() { return new byte[] {1}; }
        @Override public byte[] getBranchQualifier() { return new byte[] {2}; }
    };

    private final RecordingXAResource provider = new RecordingXAResource();
    private final XASession xaSession = stub(XASession.class, "xa-session", provider);
    private final Session plainSession = stub(Session.class, "plain-session", null);

    @Test
    void sessionsOpenedWhileATransactionIsAssociatedAreTheXaSession() throws Exception {
        final StrandManagedConnection managed = new StrandManagedConnection(new StrandManagedConnectionFactory(),
                xaConnection(), Credentials.ANONYMOUS);
        final XAResource resource = managed.getXAResource();

        resource.start(XID, XAResource.TMNOFLAGS);
        final ConnectionHandle inside = (ConnectionHandle) managed.getConnection(null, null);
        final Session insideSession = inside.createSession();
        assertThat(insideSession.getTransacted()).isTrue();
        assertThat(insideSession.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
        assertThat(insideSession.toString()).contains("in container transaction");
        inside.close();
        resource.end(XID, XAResource.TMSUCCESS);
        resource.commit(XID, true);

        final ConnectionHandle outside = (ConnectionHandle) managed.getConnection(null, null);
        assertThat(outside.createSession().getTransacted()).isFalse();
        assertThat(provider.calls).containsExactly("start", "end", "commit");
    }

    @Test
    void aFailedEndStillLeavesTheTransaction() throws Exception {
        final StrandManagedConnection managed = new StrandManagedConnection(new StrandManagedConnectionFactory(),
                xaConnection(), Credentials.ANONYMOUS);
        final XAResource resource = managed.getXAResource();
        resource.start(XID, XAResource.TMNOFLAGS);
        provider.failEnd = true;

        assertThatThrownBy(() -> resource.end(XID, XAResource.TMSUCCESS)).isInstanceOf(XAException.class);
        assertThat(managed.inTransaction()).isFalse();
    }

    @Test
    void sameResourceManagerIsJudgedOnTheProvidersResources() throws Exception {
        final EnlistedXAResource a = new EnlistedXAResource(provider, inTransaction -> { });
        final EnlistedXAResource b = new EnlistedXAResource(provider, inTransaction -> { });

        assertThat(a.isSameRM(b)).isTrue();
        assertThat(a.isSameRM(new RecordingXAResource())).isFalse();
    }

    private XAConnection xaConnection() {
        return stub(XAConnection.class, "xa-connection", null);
    }

    /**
     * A stand-in for a provider interface: sessions come from {@code createXASession} and {@code createSession},
     * {@code getXAResource} answers the given resource, and everything else does nothing.
     */
    @SuppressWarnings("unchecked")
    private <T> T stub(Class<T> type, String name, XAResource resource) {
        return (T) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "createXASession" -> xaSession;
                    case "createSession" -> plainSession;
                    case "getXAResource" -> resource;
                    case "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getReturnType() == boolean.class ? false
                            : method.getReturnType() == int.class ? 0 : null;
                });
    }

    private static final class RecordingXAResource implements XAResource {
        final List<String> calls = new ArrayList<>();
        boolean failEnd;

        @Override public void start(Xid xid, int flags) { calls.add("start"); }

        @Override
        public void end(Xid xid, int flags) throws XAException {
            calls.add("end");
            if (failEnd) {
                throw new XAException(XAException.XAER_RMFAIL);
            }
        }

        @Override public int prepare(Xid xid) { calls.add("prepare"); return XA_OK; }
        @Override public void commit(Xid xid, boolean onePhase) { calls.add("commit"); }
        @Override public void rollback(Xid xid) { calls.add("rollback"); }
        @Override public void forget(Xid xid) { calls.add("forget"); }
        @Override public Xid[] recover(int flag) { return new Xid[0]; }
        @Override public boolean isSameRM(XAResource other) { return other == this; }
        @Override public int getTransactionTimeout() { return 0; }
        @Override public boolean setTransactionTimeout(int seconds) { return false; }
    }
}
