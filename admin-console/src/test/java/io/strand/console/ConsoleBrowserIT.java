package io.strand.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.strand.console.ConsoleServer.ADMIN;
import static io.strand.console.ConsoleServer.ADMIN_PASSWORD;
import static io.strand.console.ConsoleServer.VIEWER;
import static io.strand.console.ConsoleServer.VIEWER_PASSWORD;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web UI in a real headless Chromium (Debian's, never one Playwright downloads) against the console on
 * Payara Micro and a real broker: an admin logs in, creates a queue, watches messages a JMS client sends
 * arrive and drain, and browses one; a read-only user is offered no change, and sees each client id's sessions and
 * consumers on the connections page. Screenshots go to
 * {@code target/console-artifacts}.
 */
@ExtendWith(ConsoleServer.class)
class ConsoleBrowserIT {
    /** The flags verified with Debian's Chromium (STACK.md §5). */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
            "--no-first-run");
    /** The UI refreshes every 2 s; a change on the broker shows within a few refreshes. */
    private static final LocatorAssertions.HasTextOptions SOON = new LocatorAssertions.HasTextOptions().setTimeout(20_000);

    private static Playwright playwright;
    private static Browser browser;
    private static ConsoleServer.Running console;
    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new ArrayList<>();

    @BeforeAll
    static void launch(ConsoleServer.Running running) {
        console = running;
        Path chromium = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("the browser test needs Chromium at " + chromium
                    + ": apt-get install -y chromium (as .ci/run does), or -Dconsole.chromium=/path/to/chromium");
        }
        PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setHeadless(true).setArgs(FLAGS));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void openPage() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000));
        page = context.newPage();
        page.onPageError(pageErrors::add);
        page.onConsoleMessage(m -> {
            // A refused request (a wrong password's 401) is logged by the browser too; the tests check those answers.
            if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) {
                pageErrors.add(m.text());
            }
        });
        page.navigate(console.baseUrl());
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    private void logIn(String user, String password) {
        page.locator("#login-user").fill(user);
        page.locator("#login-password").fill(password);
        page.locator("#login-submit").click();
    }

    private Locator metric(String key) {
        return page.locator("[data-metric=" + key + "] .metric-value");
    }

    private static Path artifact(String name) throws Exception {
        Path dir = Path.of(System.getProperty("console.artifacts", "target/console-artifacts"));
        Files.createDirectories(dir);
        return dir.resolve(name);
    }

    @Test
    void anAdminCreatesAQueueSeesMessagesArriveAndDrainAndBrowsesOne() throws Exception {
        logIn(ADMIN, ADMIN_PASSWORD);
        assertThat(page.locator("#user")).hasText(ADMIN);
        assertThat(page.locator("#who")).containsText("admin");
        assertThat(page.locator("#login-password")).isEmpty();

        page.locator("#new-destination").click();
        page.locator("#field-name").fill("shop.orders");
        page.locator("#field-partitions").fill("1");
        page.locator("#dialog-ok").click();
        assertThat(page.locator("#destination-name")).hasText("shop.orders");
        assertThat(metric("messages")).hasText("0");

        for (int i = 1; i <= 6; i += 2) {
            console.broker().send(ADMIN, ADMIN_PASSWORD, "shop.orders", false, "order " + i, "order " + (i + 1));
            Thread.sleep(1_200);
        }
        assertThat(metric("messages")).hasText("6", SOON);
        assertThat(metric("lag")).hasText("6", SOON);

        try (Connection connection = new StrandConnectionFactory(console.broker().url())
                .createConnection(ADMIN, ADMIN_PASSWORD)) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("shop.orders"));
            connection.stop();
            for (int i = 0; i < 2; i++) {
                connection.start();
                Assertions.assertThat(consumer.receive(10_000)).isNotNull();
                connection.stop();
            }
            assertThat(metric("lag")).hasText("4", SOON);
            assertThat(metric("consumers")).hasText("1", SOON);
            assertThat(page.locator("#queue-partitions tbody tr").first()).containsText("4");
            page.waitForTimeout(2_500);
            page.screenshot(new Page.ScreenshotOptions().setPath(artifact("console-destination.png")).setFullPage(true));
        }

        page.locator("#browse-messages").click();
        Locator rows = page.locator("#messages tbody tr");
        assertThat(rows).hasCount(6);
        rows.first().click();
        assertThat(page.locator("#message-body")).hasText("order 1");
        assertThat(page.locator("#message-properties")).containsText("console-test");
        assertThat(page.locator("#message-headers")).containsText("PERSISTENT");
        page.screenshot(new Page.ScreenshotOptions().setPath(artifact("console-messages.png")).setFullPage(true));

        page.locator("#nav a[data-page=overview]").click();
        Locator row = page.locator("#destinations tr[data-destination='queue:shop.orders']");
        assertThat(row).containsText("shop.orders");
        assertThat(row.locator("td").nth(7)).hasText("4", SOON);
        page.screenshot(new Page.ScreenshotOptions().setPath(artifact("console-overview.png")).setFullPage(true));
        Assertions.assertThat(pageErrors).as("errors in the page").isEmpty();
    }

    @Test
    void theConnectionsPageShowsEachClientIdsSessionsAndConsumers() throws Exception {
        console.broker().send(ADMIN, ADMIN_PASSWORD, "shop.invoices", false, "i1", "i2", "i3");
        try (Connection connection = new StrandConnectionFactory(console.broker().url() + "?prefetch=2")
                .createConnection(ADMIN, ADMIN_PASSWORD)) {
            connection.setClientID("shop-billing");
            connection.start();
            Session receiving = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            receiving.createConsumer(receiving.createQueue("shop.invoices"));
            Session subscribing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            subscribing.createSharedDurableConsumer(subscribing.createTopic("shop.events"), "audit");
            logIn(VIEWER, VIEWER_PASSWORD);
            page.locator("#nav a[data-page=connections]").click();
            Locator queue = page.locator("#connections tr[data-session='0']",
                    new Page.LocatorOptions().setHasText("shop.invoices"));
            assertThat(queue).containsText("shop.invoices");
            assertThat(queue.locator("td").nth(9)).hasText("1", SOON); // lag: i3 waits, two are in flight
            assertThat(queue.locator("td").nth(8)).hasText("2");
            Locator shared = page.locator("#connections tr[data-session='1']",
                    new Page.LocatorOptions().setHasText("shop.events"));
            assertThat(shared).containsText("shared durable");
            assertThat(shared).containsText("audit");
            assertThat(page.locator("#connections")).containsText("shop-billing");
            page.screenshot(new Page.ScreenshotOptions().setPath(artifact("console-connections.png")).setFullPage(true));
        }
        Assertions.assertThat(pageErrors).as("errors in the page").isEmpty();
    }

    @Test
    void aReadOnlyUserIsOfferedNoChangeAndAWrongPasswordIsRefused() throws Exception {
        console.broker().send(ADMIN, ADMIN_PASSWORD, "shop.audit", false, "seen");
        logIn(VIEWER, "wrong");
        assertThat(page.locator("#login-error")).containsText("not accepted");
        logIn(VIEWER, VIEWER_PASSWORD);
        assertThat(page.locator("#who")).containsText("read-only");
        assertThat(page.locator("#destinations")).containsText("shop.audit");
        assertThat(page.locator("#new-destination")).hasCount(0);

        page.locator("#destinations a", new Page.LocatorOptions().setHasText("shop.audit")).click();
        assertThat(page.locator("#destination-name")).hasText("shop.audit");
        assertThat(page.locator("#browse-messages")).isVisible();
        assertThat(page.locator("#delete-destination")).hasCount(0);
        assertThat(page.locator("#purge-queue")).hasCount(0);

        page.locator("#logout").click();
        assertThat(page.locator("#login-form")).isVisible();
        Assertions.assertThat(pageErrors).as("errors in the page").isEmpty();
    }
}
