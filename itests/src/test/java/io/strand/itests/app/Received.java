package io.strand.itests.app;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What each message-driven bean received, by the bean's key, in arrival order. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Received {
    private final Map<String, List<String>> byKey = new ConcurrentHashMap<>();

    public void record(String key, String text) {
        byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(text);
    }

    public List<String> get(String key) {
        return List.copyOf(byKey.getOrDefault(key, List.of()));
    }
}
