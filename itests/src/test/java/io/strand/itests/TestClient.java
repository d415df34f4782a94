package io.strand.itests;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Calls the test application's REST API ({@code io.strand.itests.app.TestApi}). */
final class TestClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URL base;

    TestClient(URL base) {
        this.base = base;
    }

    /** @return the HTTP status and body of a POST to {@code api/send} */
    Response send(String... query) throws IOException, InterruptedException {
        return call("POST", "api/send", query);
    }

    /** @return the texts the bean of that key received, in order */
    List<String> received(String key) throws IOException, InterruptedException {
        final String body = call("GET", "api/received", "key", key).body();
        return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n"));
    }

    Response call(String method, String path, String... query) throws IOException, InterruptedException {
        final StringBuilder uri = new StringBuilder(base.toExternalForm()).append(path);
        for (int i = 0; i + 1 < query.length; i += 2) {
            uri.append(i == 0 ? '?' : '&').append(query[i]).append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
        }
        final HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    record Response(int status, String body) { }
}
