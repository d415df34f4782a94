package io.strand.console;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API's root: every resource of this package answers under {@code /api}. */
@ApplicationPath("api")
public class ConsoleApplication extends Application {
}
