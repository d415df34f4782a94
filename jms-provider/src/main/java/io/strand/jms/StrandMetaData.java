package io.strand.jms;

import io.strand.jms.message.PropertyNames;
import jakarta.jms.ConnectionMetaData;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** What the provider tells about itself (JMS 3.1 §3.5.10 lists the JMSX properties it supports). Immutable. */
final class StrandMetaData implements ConnectionMetaData {
    static final StrandMetaData INSTANCE = new StrandMetaData();

    private StrandMetaData() {
    }

    @Override public String getJMSVersion() { return "3.1"; }
    @Override public int getJMSMajorVersion() { return 3; }
    @Override public int getJMSMinorVersion() { return 1; }
    @Override public String getJMSProviderName() { return "Strand"; }
    @Override public String getProviderVersion() { return "0.1.0"; }
    @Override public int getProviderMajorVersion() { return 0; }
    @Override public int getProviderMinorVersion() { return 1; }

    @Override
    public Enumeration<String> getJMSXPropertyNames() {
        return Collections.enumeration(List.of(PropertyNames.JMSX_GROUP_ID, PropertyNames.JMSX_GROUP_SEQ,
                PropertyNames.JMSX_DELIVERY_COUNT));
    }
}
