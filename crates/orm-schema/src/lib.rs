//! The Prisma Schema Language front end.
//!
//! Reads a `schema.prisma` and turns it into a resolved [`Schema`](ir) that the code generator,
//! the migration engine and the CLI all read, so they cannot disagree about what a schema means.
//!
//! Work in progress: the parser (`ast`), the validation passes (`validate`), the resolved IR
//! (`ir`), diagnostics and the formatter land here next.
#![deny(missing_docs)]
