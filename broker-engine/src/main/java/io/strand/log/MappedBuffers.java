package io.strand.log;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmaps a {@link MappedByteBuffer} now rather than when the garbage collector gets to it. A broker
 * with thousands of segments maps and unmaps index files all day; left to the collector, the
 * mappings (and the disk space of deleted files) would pile up.
 *
 * <p>The JDK has no public API for this; {@code sun.misc.Unsafe.invokeCleaner} of the
 * {@code jdk.unsupported} module does it, reached by reflection so that the build needs no special
 * flags. Where it is missing the buffer is left to the collector (logged once).
 *
 * <p>The caller must guarantee that no thread touches the buffer, or any view of it, afterwards:
 * an access to an unmapped buffer crashes the JVM. {@link MappedIndexFile} does so by never letting
 * its buffer out and forgetting it before calling {@link #unmap}.
 */
final class MappedBuffers {
    private static final Logger LOG = LoggerFactory.getLogger(MappedBuffers.class);
    private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

    private MappedBuffers() {
    }

    /** Releases the mapping of {@code buffer}, which must be the buffer returned by {@code map}, not a view. */
    static void unmap(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null || !buffer.isDirect()) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot unmap " + buffer + ": " + e, e);
        }
    }

    /** Whether mappings are released at once (false: only by the garbage collector). */
    static boolean unmapsPromptly() {
        return INVOKE_CLEANER != null;
    }

    private static MethodHandle findInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            MethodHandle invokeCleaner = MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class));
            return invokeCleaner.bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot unmap index files promptly ({}); their mappings are released by the garbage collector",
                    e.toString());
            return null;
        }
    }
}
