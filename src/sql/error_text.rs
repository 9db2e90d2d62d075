//! Where the layers' typed errors become DuckDB's error text: the message as
//! is, whatever the kind (the words users see). A glue function returning
//! `Result<_, String>` converts with `?` here; one returning
//! `Box<dyn Error>` gets the same words through `Display`.

impl From<crate::motherduck::Error> for String {
    fn from(error: crate::motherduck::Error) -> String {
        error.message
    }
}

impl From<crate::flight::Error> for String {
    fn from(error: crate::flight::Error) -> String {
        error.message
    }
}
