//! The readcast command. Parses arguments, runs the subcommand, maps the result to an exit
//! code (see `readcast --help`), and prints any error once, on stderr.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
