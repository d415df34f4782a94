package io.strand.itests.app;

import jakarta.annotation.Resource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;

/** {@code GET /ledger/rows}: how many rows the ledger holds and how many distinct payments they book. */
@ApplicationPath("ledger")
public class LedgerApi extends Application {

    @Path("/")
    @Produces(MediaType.TEXT_PLAIN)
    public static class Rows {
        @Resource(lookup = "java:app/jdbc/ledger")
        private DataSource ledger;

        @GET
        @Path("rows")
        public String rows() throws SQLException {
            try (Connection connection = ledger.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS ledger (id IDENTITY PRIMARY KEY, payment VARCHAR(64))");
                try (ResultSet rs = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT payment) FROM ledger")) {
                    rs.next();
                    return rs.getLong(1) + " " + rs.getLong(2);
                }
            }
        }
    }

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(Rows.class);
    }
}
