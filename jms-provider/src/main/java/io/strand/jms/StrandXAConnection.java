package io.strand.jms;

import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ClusterConnection;
import io.strand.jms.client.RecordFormat;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicSession;

/**
 * A connection whose sessions can take part in distributed transactions (JMS 3.1 §6.2.8): {@link #createXASession}
 * makes a {@link StrandXASession}, whose {@code XAResource} a transaction manager drives. It is also a plain
 * connection: {@code createSession} makes ordinary sessions. Made by {@link StrandXAConnectionFactory}.
 */
public class StrandXAConnection extends StrandConnection implements XAConnection, XAQueueConnection, XATopicConnection {
    StrandXAConnection(ClusterConnection cluster, ClientOptions options, RecordFormat format) {
        super(cluster, options, format);
    }

    @Override
    public XASession createXASession() throws JMSException {
        return (XASession) createStrandSession(Session.SESSION_TRANSACTED, StrandXASession::new);
    }

    @Override
    public XAQueueSession createXAQueueSession() throws JMSException {
        return (XAQueueSession) createXASession();
    }

    @Override
    public XATopicSession createXATopicSession() throws JMSException {
        return (XATopicSession) createXASession();
    }
}
