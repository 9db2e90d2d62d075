//! The numbers tree-sitter's Python grammar gives the node kinds and fields
//! the scan looks at, looked up once per process ([`ids`]). Comparing
//! `node.kind_id()` with a number and asking `child_by_field_id` is much
//! cheaper than comparing `node.kind()` strings and `child_by_field_name`
//! (a search of the grammar's field names on every call). It imports
//! nothing from its siblings: it is the bottom of the scan.

use std::sync::LazyLock;
use tree_sitter::Language;

macro_rules! ids {
    (
        named { $($kind:ident = $kind_name:literal,)* }
        fields { $($field:ident = $field_name:literal,)* }
    ) => {
        /// Node kind ids (named kinds) and field ids.
        /// A name the grammar does not have would be 0 (no node has kind 0,
        /// no child field 0); the tests check that every one is known.
        pub(super) struct Ids {
            $(pub(super) $kind: u16,)*
            $(pub(super) $field: u16,)*
        }

        impl Ids {
            fn new(language: &Language) -> Ids {
                let field = |name: &str| language.field_id_for_name(name).map_or(0, |id| id.get());
                Ids {
                    $($kind: language.id_for_node_kind($kind_name, true),)*
                    $($field: field($field_name),)*
                }
            }

            /// The names whose id is 0 (the grammar does not know them).
            #[cfg(test)]
            pub(super) fn unknown(&self) -> Vec<&'static str> {
                let all = [$(($kind_name, self.$kind),)* $(($field_name, self.$field),)*];
                all.iter().filter(|(_, id)| *id == 0).map(|(name, _)| *name).collect()
            }
        }
    };
}

ids! {
    named {
        aliased_import = "aliased_import",
        argument_list = "argument_list",
        assignment = "assignment",
        attribute = "attribute",
        binary_operator = "binary_operator",
        call = "call",
        comment = "comment",
        comparison_operator = "comparison_operator",
        concatenated_string = "concatenated_string",
        delete_statement = "delete_statement",
        dictionary_splat = "dictionary_splat",
        escape_interpolation = "escape_interpolation",
        escape_sequence = "escape_sequence",
        expression_list = "expression_list",
        for_statement = "for_statement",
        identifier = "identifier",
        import_from_statement = "import_from_statement",
        import_statement = "import_statement",
        interpolation = "interpolation",
        keyword_argument = "keyword_argument",
        list = "list",
        list_pattern = "list_pattern",
        list_splat = "list_splat",
        list_splat_pattern = "list_splat_pattern",
        named_expression = "named_expression",
        parenthesized_expression = "parenthesized_expression",
        pattern_list = "pattern_list",
        string = "string",
        string_content = "string_content",
        string_start = "string_start",
        subscript = "subscript",
        tuple = "tuple",
        tuple_pattern = "tuple_pattern",
        wildcard_import = "wildcard_import",
    }
    fields {
        f_alias = "alias",
        f_arguments = "arguments",
        f_attribute = "attribute",
        f_function = "function",
        f_left = "left",
        f_module_name = "module_name",
        f_name = "name",
        f_object = "object",
        f_operator = "operator",
        f_right = "right",
        f_subscript = "subscript",
        f_value = "value",
    }
}

static IDS: LazyLock<Ids> = LazyLock::new(|| Ids::new(&tree_sitter_python::LANGUAGE.into()));

/// The grammar's ids, looked up on first use.
pub(super) fn ids() -> &'static Ids {
    &IDS
}
