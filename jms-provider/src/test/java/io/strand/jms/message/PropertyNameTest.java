package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Property name validity: selector identifiers, reserved words, and the JMSX / JMS_ prefixes. */
class PropertyNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"color", "_x", "$amount", "a1", "ünïcödé", "λ", "JMSXGroupID", "JMSXGroupSeq",
            "nullable", "Order_Id", "isIt", "JMSFoo", "JMS"})
    void shouldAcceptSelectorIdentifiers(String name) {
        final StrandMessage message = new StrandMessage();
        final Object value = name.equals("JMSXGroupSeq") ? (Object) 1 : "v";

        assertThatNoException().isThrownBy(() -> message.setObjectProperty(name, value));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void shouldRefuseNullAndEmptyNames(String name) {
        assertThatThrownBy(() -> new StrandMessage().setIntProperty(name, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null or empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1abc", "a-b", "a b", "a.b", "#x", "a+b", "é-"})
    void shouldRefuseNamesThatAreNotJavaIdentifiers(String name) {
        assertThatThrownBy(() -> new StrandMessage().setIntProperty(name, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE",
            "null", "True", "between", "Escape"})
    void shouldRefuseSelectorReservedWordsInAnyCase(String name) {
        assertThatThrownBy(() -> new StrandMessage().setBooleanProperty(name, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selector keyword");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JMSXFoo", "JMSX", "JMSXGroupid"})
    void shouldRefuseJmsxNamesTheSpecificationDoesNotDefine(String name) {
        assertThatThrownBy(() -> new StrandMessage().setStringProperty(name, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StrandMessage().setProviderProperty(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JMSXUserID", "JMSXAppID", "JMSXDeliveryCount", "JMSXProducerTXID", "JMSXConsumerTXID",
            "JMSXRcvTimestamp", "JMSXState"})
    void shouldLeaveProviderSetJmsxPropertiesToTheProvider(String name) throws JMSException {
        final StrandMessage message = new StrandMessage();

        assertThatThrownBy(() -> message.setStringProperty(name, "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set by the provider");
        message.setProviderProperty(name, 7);
        assertThat(message.getIntProperty(name)).isEqualTo(7);
    }

    @Test
    void shouldReserveTheJmsUnderscorePrefixForTheProvider() throws JMSException {
        final StrandMessage message = new StrandMessage();

        assertThatThrownBy(() -> message.setStringProperty("JMS_Strand_Origin", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JMS_");
        message.setProviderProperty("JMS_Strand_Origin", "x");
        assertThat(message.getStringProperty("JMS_Strand_Origin")).isEqualTo("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JMSPriority", "JMSMessageID", "JMSTimestamp", "JMSCorrelationID", "JMSType",
            "JMSDeliveryMode", "JMSDestination", "JMSReplyTo", "JMSExpiration", "JMSDeliveryTime", "JMSRedelivered"})
    void shouldRefuseHeaderFieldNamesBecauseASelectorWouldReadTheHeader(String name) {
        assertThatThrownBy(() -> new StrandMessage().setStringProperty(name, "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header field");
    }

    @Test
    void shouldHoldTheGroupPropertiesToTheirSpecifiedTypes() throws JMSException {
        final StrandMessage message = new StrandMessage();

        assertThatThrownBy(() -> message.setIntProperty("JMSXGroupID", 1)).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.setStringProperty("JMSXGroupSeq", "1")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.setLongProperty("JMSXGroupSeq", 1L)).isInstanceOf(MessageFormatException.class);
        message.setStringProperty("JMSXGroupID", "g");
        message.setIntProperty("JMSXGroupSeq", 3);
        assertThat(message.getStringProperty("JMSXGroupID")).isEqualTo("g");
        assertThat(message.getIntProperty("JMSXGroupSeq")).isEqualTo(3);
    }

    @Test
    void shouldAnswerIsPropertyNameForTheCodecAndTheSelector() {
        assertThat(PropertyNames.isPropertyName("color")).isTrue();
        assertThat(PropertyNames.isPropertyName("JMSXDeliveryCount")).isTrue();
        assertThat(PropertyNames.isPropertyName("JMS_Strand_x")).isTrue();
        assertThat(PropertyNames.isPropertyName("JMSXBogus")).isFalse();
        assertThat(PropertyNames.isPropertyName("JMSPriority")).isFalse();
        assertThat(PropertyNames.isPropertyName("#id")).isFalse();
        assertThat(PropertyNames.isPropertyName("like")).isFalse();
        assertThat(PropertyNames.isPropertyName(null)).isFalse();
    }
}
