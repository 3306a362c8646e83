//! `orm_core::migrations!` embeds the files of a migrations folder and Cargo rebuilds when one
//! of them changes; a new migration folder is a new file, which only this line makes Cargo
//! notice.
fn main() {
    println!("cargo:rerun-if-changed=prisma/migrations");
    println!("cargo:rerun-if-changed=prisma/postgresql/migrations");
}
