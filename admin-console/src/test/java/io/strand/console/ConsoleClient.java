package io.strand.console;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A browser's view of the REST API for tests: one cookie jar (one console session), JSON in and out. */
final class ConsoleClient {
    /** An answer: its HTTP status and its JSON body (JsonNull when empty). */
    record Answer(int status, JsonElement body) {
        JsonObject object() {
            return body.getAsJsonObject();
        }

        String error() {
            return body.isJsonObject() && body.getAsJsonObject().has("error")
                    ? body.getAsJsonObject().get("error").getAsString() : null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String apiUrl;

    ConsoleClient(ConsoleServer.Running console) {
        this(console.baseUrl());
    }

    /** @param baseUrl the console's address, ending with a slash */
    ConsoleClient(String baseUrl) {
        this.apiUrl = baseUrl + "api/";
    }

    /** A new client logged in as {@code user}. */
    static ConsoleClient loggedIn(ConsoleServer.Running console, String user, String password) {
        ConsoleClient client = new ConsoleClient(console);
        Answer login = client.post("session", "{\"user\": \"" + user + "\", \"password\": \"" + password + "\"}");
        if (login.status() != 200) {
            throw new IllegalStateException("login of " + user + " failed: " + login);
        }
        return client;
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST as an HTML form on another site would send it. */
    Answer postForm(String path, String form) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    Answer delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** The body as JSON; a body that is no JSON (a server's own error page) as a JSON string. */
    private static JsonElement parse(String body) {
        if (body == null || body.isBlank()) {
            return JsonNull.INSTANCE;
        }
        try {
            return JsonParser.parseString(body);
        } catch (JsonParseException e) {
            return new JsonPrimitive(body);
        }
    }

    private URI uri(String path) {
        return URI.create(apiUrl + path);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
