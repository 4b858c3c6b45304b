package io.sluice.schema;

import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.EnumConstantElement;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.OptionElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.TypeElement;
import java.util.Comparator;
import java.util.List;

/**
 * A parsed .proto file with the order Protobuf leaves free made canonical: imports and options sorted by name, fields
 * (and the fields of each oneof) by number, oneofs by name. Message and enum definitions keep their order (message
 * indexes in Confluent's wire format count them), and so do enum constants (the first is a proto2 field's default).
 */
final class ProtoNormalizer {

    private static final Comparator<OptionElement> OPTION_ORDER =
            Comparator.comparing(OptionElement::getName).thenComparing(OptionElement::toSchema);

    private ProtoNormalizer() {
    }

    static ProtoFileElement normalize(ProtoFileElement file) {
        return new ProtoFileElement(file.getLocation(), file.getPackageName(), file.getSyntax(),
                sorted(file.getImports()), sorted(file.getPublicImports()), sorted(file.getWeakImports()),
                types(file.getTypes()), file.getServices(), file.getExtendDeclarations(), options(file.getOptions()));
    }

    private static List<TypeElement> types(List<TypeElement> types) {
        return types.stream().map(ProtoNormalizer::type).toList();
    }

    private static TypeElement type(TypeElement type) {
        if (type instanceof MessageElement message) {
            // wire prints a message's fields and oneofs in the order of their source locations: sorted ones get new
            // locations in their new order.
            int[] line = {1};
            List<FieldElement> fields = fields(message.getFields(), message.getLocation(), line);
            List<OneOfElement> oneOfs = message.getOneOfs().stream()
                    .sorted(Comparator.comparing(OneOfElement::getName))
                    .map(oneOf -> new OneOfElement(oneOf.getName(), oneOf.getDocumentation(),
                            fields(oneOf.getFields(), message.getLocation(), line), oneOf.getGroups(),
                            options(oneOf.getOptions()), message.getLocation().at(line[0]++, 1)))
                    .toList();
            return new MessageElement(message.getLocation(), message.getName(), message.getDocumentation(),
                    types(message.getNestedTypes()), options(message.getOptions()), message.getReserveds(), fields,
                    oneOfs, message.getExtensions(), message.getGroups(), message.getExtendDeclarations());
        }
        if (type instanceof EnumElement enumType) {
            return new EnumElement(enumType.getLocation(), enumType.getName(), enumType.getDocumentation(),
                    options(enumType.getOptions()),
                    enumType.getConstants().stream()
                            .map(constant -> new EnumConstantElement(constant.getLocation(), constant.getName(),
                                    constant.getTag(), constant.getDocumentation(), options(constant.getOptions())))
                            .toList(),
                    enumType.getReserveds());
        }
        return type;
    }

    private static List<FieldElement> fields(List<FieldElement> fields, Location parent, int[] line) {
        return fields.stream()
                .sorted(Comparator.comparingInt(FieldElement::getTag))
                .map(field -> new FieldElement(parent.at(line[0]++, 1), field.getLabel(), field.getType(),
                        field.getName(), field.getDefaultValue(), field.getJsonName(), field.getTag(),
                        field.getDocumentation(), options(field.getOptions())))
                .toList();
    }

    private static List<OptionElement> options(List<OptionElement> options) {
        return options.stream().sorted(OPTION_ORDER).toList();
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted().toList();
    }
}
