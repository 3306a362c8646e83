//! The `orm` binary. See the `orm_cli` library for the commands.

fn main() {
    eprintln!("orm: no commands yet");
    std::process::exit(2);
}
