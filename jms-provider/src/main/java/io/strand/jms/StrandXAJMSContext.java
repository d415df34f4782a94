package io.strand.jms;

import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAJMSContext;
import javax.transaction.xa.XAResource;

/**
 * The simplified API over an XA session (the {@code XAJMSContext} interface): a connection and one
 * {@link StrandXASession}, whose {@link XAResource} a transaction manager drives. Inside a transaction branch the
 * context's sends and receives belong to the branch; outside one it behaves as an {@code AUTO_ACKNOWLEDGE} context,
 * as {@link StrandXASession} says. {@link #commit} and {@link #rollback} throw
 * {@link TransactionInProgressRuntimeException}: the transaction manager commits. Made by
 * {@link StrandXAConnectionFactory#createXAContext}.
 */
public class StrandXAJMSContext extends StrandJMSContext implements XAJMSContext {
    StrandXAJMSContext(SharedConnection shared) {
        super(shared, SESSION_TRANSACTED);
    }

    @Override
    StrandSession openSession() throws JMSException {
        return sharedConnection().connection().createStrandSession(SESSION_TRANSACTED, StrandXASession::new);
    }

    @Override
    public JMSContext getContext() {
        session(); // refuses a closed context
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return ((StrandXASession) session()).getXAResource();
    }

    @Override
    public boolean getTransacted() {
        session();
        return true;
    }

    @Override
    public void commit() {
        session();
        throw new TransactionInProgressRuntimeException("commit() is not for an XAJMSContext: its transactions are"
                + " committed through its XAResource, by a transaction manager");
    }

    @Override
    public void rollback() {
        session();
        throw new TransactionInProgressRuntimeException("rollback() is not for an XAJMSContext: its transactions are"
                + " rolled back through its XAResource, by a transaction manager");
    }
}
