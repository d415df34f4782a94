package io.strand.jms.jndi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import javax.naming.Binding;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.Name;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NameParser;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;

/**
 * A read-only JNDI context over fixed bindings. Names are flat strings that may contain {@code /};
 * looking up a prefix that is not bound itself ({@code jms} when {@code jms/orders} is bound) returns
 * the context of the names beneath it, so hierarchical lookups work too. An empty name returns a new
 * context of the same bindings. Binding, renaming and subcontext changes throw
 * {@link OperationNotSupportedException}; an unknown name {@link NameNotFoundException}.
 *
 * <p>The bindings never change, so the context is thread-safe; only its environment copy is not.
 */
public final class ReadOnlyContext implements Context {
    private static final NameParser PARSER = CompositeName::new;

    private final Map<String, Object> bindings;
    private final Hashtable<String, Object> environment;

    ReadOnlyContext(Map<String, Object> bindings, Hashtable<String, Object> environment) {
        this.bindings = Collections.unmodifiableMap(new TreeMap<>(bindings));
        this.environment = new Hashtable<>(environment);
    }

    @Override
    public Object lookup(String name) throws NamingException {
        final String key = normalize(name);
        if (key.isEmpty()) {
            return new ReadOnlyContext(bindings, environment);
        }
        final Object bound = bindings.get(key);
        if (bound != null) {
            return bound;
        }
        final Map<String, Object> beneath = beneath(key);
        if (!beneath.isEmpty()) {
            return new ReadOnlyContext(beneath, environment);
        }
        final NameNotFoundException e = new NameNotFoundException("'" + name + "' is not bound; bound names: "
                + bindings.keySet());
        e.setRemainingName(new CompositeName().add(name));
        throw e;
    }

    private static String normalize(String name) {
        String n = name == null ? "" : name.trim();
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n;
    }

    private Map<String, Object> beneath(String prefix) {
        final Map<String, Object> sub = new TreeMap<>();
        final String start = prefix + "/";
        bindings.forEach((k, v) -> {
            if (k.startsWith(start)) {
                sub.put(k.substring(start.length()), v);
            }
        });
        return sub;
    }

    @Override
    public Object lookup(Name name) throws NamingException {
        return lookup(name.toString());
    }

    @Override
    public Object lookupLink(String name) throws NamingException {
        return lookup(name);
    }

    @Override
    public Object lookupLink(Name name) throws NamingException {
        return lookup(name);
    }

    private static OperationNotSupportedException readOnly(String what) {
        return new OperationNotSupportedException(what + " is not supported: the Strand JNDI context is read-only;"
                + " configure it with connectionFactory.*, queue.* and topic.* properties");
    }

    @Override public void bind(Name name, Object obj) throws NamingException { throw readOnly("bind"); }
    @Override public void bind(String name, Object obj) throws NamingException { throw readOnly("bind"); }
    @Override public void rebind(Name name, Object obj) throws NamingException { throw readOnly("rebind"); }
    @Override public void rebind(String name, Object obj) throws NamingException { throw readOnly("rebind"); }
    @Override public void unbind(Name name) throws NamingException { throw readOnly("unbind"); }
    @Override public void unbind(String name) throws NamingException { throw readOnly("unbind"); }
    @Override public void rename(Name oldName, Name newName) throws NamingException { throw readOnly("rename"); }
    @Override public void rename(String oldName, String newName) throws NamingException { throw readOnly("rename"); }
    @Override public void destroySubcontext(Name name) throws NamingException { throw readOnly("destroySubcontext"); }
    @Override public void destroySubcontext(String name) throws NamingException { throw readOnly("destroySubcontext"); }
    @Override public Context createSubcontext(Name name) throws NamingException { throw readOnly("createSubcontext"); }
    @Override public Context createSubcontext(String name) throws NamingException { throw readOnly("createSubcontext"); }

    @Override
    public NamingEnumeration<NameClassPair> list(String name) throws NamingException {
        final List<NameClassPair> pairs = new ArrayList<>();
        for (Map.Entry<String, Object> e : scope(name).entrySet()) {
            pairs.add(new NameClassPair(e.getKey(), e.getValue().getClass().getName()));
        }
        return new ListEnumeration<>(pairs);
    }

    @Override
    public NamingEnumeration<NameClassPair> list(Name name) throws NamingException {
        return list(name.toString());
    }

    @Override
    public NamingEnumeration<Binding> listBindings(String name) throws NamingException {
        final List<Binding> list = new ArrayList<>();
        for (Map.Entry<String, Object> e : scope(name).entrySet()) {
            list.add(new Binding(e.getKey(), e.getValue()));
        }
        return new ListEnumeration<>(list);
    }

    @Override
    public NamingEnumeration<Binding> listBindings(Name name) throws NamingException {
        return listBindings(name.toString());
    }

    private Map<String, Object> scope(String name) throws NamingException {
        final Object target = lookup(name);
        if (!(target instanceof ReadOnlyContext context)) {
            throw new javax.naming.NotContextException("'" + name + "' is bound to an object, not a context");
        }
        return context.bindings;
    }

    @Override
    public NameParser getNameParser(Name name) {
        return PARSER;
    }

    @Override
    public NameParser getNameParser(String name) {
        return PARSER;
    }

    @Override
    public Name composeName(Name name, Name prefix) throws NamingException {
        return ((Name) prefix.clone()).addAll(name);
    }

    @Override
    public String composeName(String name, String prefix) {
        return prefix == null || prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public Object addToEnvironment(String propName, Object propVal) {
        return environment.put(propName, propVal);
    }

    @Override
    public Object removeFromEnvironment(String propName) {
        return environment.remove(propName);
    }

    @Override
    public Hashtable<?, ?> getEnvironment() {
        return new Hashtable<>(environment);
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String getNameInNamespace() {
        return "";
    }

    /** A NamingEnumeration over a fixed list. */
    private static final class ListEnumeration<T> implements NamingEnumeration<T> {
        private final Iterator<T> it;

        ListEnumeration(List<T> list) {
            this.it = list.iterator();
        }

        @Override public T next() { return nextElement(); }
        @Override public boolean hasMore() { return it.hasNext(); }
        @Override public void close() { }
        @Override public boolean hasMoreElements() { return it.hasNext(); }

        @Override
        public T nextElement() {
            if (!it.hasNext()) {
                throw new NoSuchElementException();
            }
            return it.next();
        }
    }
}
