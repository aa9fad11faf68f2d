package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.texfarm.config.ConfigException;

class HostAllowListTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void emptyListAllowsNothing() throws Exception {
        HostAllowList list = new HostAllowList(List.of());

        assertThat(list.isEmpty()).isTrue();
        assertThat(list.mayName("filestore")).isFalse();
        assertThat(list.allows("filestore", List.of(ip("10.0.0.1")))).isFalse();
    }

    @Test
    void matchesHostNamesExactlyIgnoringCaseAndTrailingDot() throws Exception {
        HostAllowList list = new HostAllowList(List.of("filestore", "Files.Example.org"));

        assertThat(list.mayName("FILESTORE")).isTrue();
        assertThat(list.allows("files.example.org.", List.of(ip("192.0.2.1")))).isTrue();
        assertThat(list.mayName("evil-filestore")).isFalse();
        assertThat(list.allows("filestore.evil.com", List.of(ip("192.0.2.1")))).isFalse();
    }

    @Test
    void allowsAHostOnlyWhenEveryResolvedAddressIsInAListedRange() throws Exception {
        HostAllowList list = new HostAllowList(List.of("10.1.0.0/16", "2001:db8::/32", "192.0.2.7"));

        assertThat(list.allows("store", List.of(ip("10.1.2.3")))).isTrue();
        assertThat(list.allows("store", List.of(ip("10.1.2.3"), ip("10.2.0.1")))).isFalse();
        assertThat(list.allows("v6", List.of(ip("2001:db8::1")))).isTrue();
        assertThat(list.allows("exact", List.of(ip("192.0.2.7")))).isTrue();
        assertThat(list.allows("exact", List.of(ip("192.0.2.8")))).isFalse();
        assertThat(list.allows("[2001:db8::5]", List.of(ip("2001:db8::5")))).isTrue();
    }

    @Test
    void refusesAnEntryThatIsNeitherNameNorRange() {
        assertThatThrownBy(() -> new HostAllowList(List.of("10.0.0.0/40")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("10.0.0.0/40");
        assertThatThrownBy(() -> new HostAllowList(List.of("300.1.1.1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("URL_ALLOWED_HOSTS");
    }
}
