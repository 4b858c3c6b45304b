package io.sluice.gateway.brokerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeClusterWebTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** docs/kafka.md's table of broker configs names exactly the configs a gateway describes, each alterable or not. */
@FakeClusterWebTest
class BrokerConfigDocsTest {

    private static final Pattern NAME = Pattern.compile("`([a-z.]+)`");

    @Autowired
    BrokerConfigs configs;

    @Test
    void theDocsTableShouldListEveryBrokerConfigAndWhetherItCanBeAltered() throws IOException {
        Map<String, Boolean> described = new TreeMap<>();
        configs.describe().block().forEach(config -> described.put(config.name(), !config.readOnly()));

        assertThat(documented()).isEqualTo(described);
    }

    /** Config name → alterable, from the table under "Broker configs." in docs/kafka.md. */
    private static Map<String, Boolean> documented() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "kafka.md"));
        int start = lines.indexOf("| config | source | alterable | what it is |");
        assertThat(start).as("docs/kafka.md has its table of broker configs").isNotNegative();
        Map<String, Boolean> documented = new TreeMap<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            boolean alterable = cells[3].strip().equals("yes");
            Matcher name = NAME.matcher(cells[1]);
            while (name.find()) {
                documented.put(name.group(1), alterable);
            }
        }
        return documented;
    }
}
