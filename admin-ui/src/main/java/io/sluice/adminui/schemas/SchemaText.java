package io.sluice.adminui.schemas;

import com.github.difflib.text.DiffRow;
import com.github.difflib.text.DiffRowGenerator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schema texts as the pages show them: Avro and JSON Schema (JSON documents, which the registry keeps compact)
 * pretty-printed, Protobuf as written; and two versions side by side, line by line.
 */
final class SchemaText {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Lines compared as they are: the page escapes them, so the generator must not. */
    private static final DiffRowGenerator SIDE_BY_SIDE = DiffRowGenerator.create()
            .lineNormalizer(Function.identity())
            .build();

    private SchemaText() {
    }

    /** One line of a side-by-side diff: {@code change} is equal, insert, delete or change (a CSS class too). */
    record DiffLine(String change, String before, String after) {
    }

    /** {@code schema} laid out for reading: pretty JSON for Avro and JSON Schema, Protobuf as it is. */
    static String readable(String type, String schema) {
        if ("PROTOBUF".equals(type)) {
            return schema;
        }
        try {
            return JSON.readTree(schema).toPrettyString();
        } catch (JacksonException e) {
            return schema;
        }
    }

    /** The lines of {@code before} and {@code after} side by side, each pair with how it changed. */
    static List<DiffLine> sideBySide(String before, String after) {
        List<DiffRow> rows = SIDE_BY_SIDE.generateDiffRows(before.lines().toList(), after.lines().toList());
        return rows.stream().map(row -> new DiffLine(row.getTag().name().toLowerCase(Locale.ROOT), row.getOldLine(),
                row.getNewLine())).toList();
    }
}
