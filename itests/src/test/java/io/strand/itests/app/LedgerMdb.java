package io.strand.itests.app;

import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Books each payment of the queue {@code payments} as a row of an XA database, in the container transaction that
 * also consumes the message: the row and the acknowledgement commit together or not at all.
 */
@DataSourceDefinition(name = "java:app/jdbc/ledger", className = "org.h2.jdbcx.JdbcDataSource",
        url = "jdbc:h2:mem:ledger;DB_CLOSE_DELAY=-1", user = "sa", password = "sa")
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "strand-ra"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "payments"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")
})
public class LedgerMdb implements MessageListener {
    @Resource(lookup = "java:app/jdbc/ledger")
    private DataSource ledger;

    @Override
    public void onMessage(Message message) {
        try (Connection connection = ledger.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger (payment) VALUES (?)")) {
            insert.setString(1, ((TextMessage) message).getText());
            insert.executeUpdate();
            // Some work per message, so that a broker killed mid-batch finds deliveries in flight.
            Thread.sleep(5);
        } catch (SQLException | JMSException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
