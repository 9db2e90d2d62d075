//! Where the layers' typed errors (`crate::flight::Error`,
//! `crate::motherduck::Error`) become DuckDB's error text: the message as
//! is, whatever the kind (the words users see). A glue function returning
//! `Result<_, String>` converts with `?` here; one returning
//! `Box<dyn Error>` gets the same words through `Display`.

impl<K> From<crate::layer_error::LayerError<K>> for String {
    fn from(error: crate::layer_error::LayerError<K>) -> String {
        error.message
    }
}
