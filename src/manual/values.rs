//! The values of positional arguments in the completions of fish, elvish and PowerShell.
//! clap_complete writes them for bash and zsh only (its other generators complete options and
//! subcommands alone), so `zkdemo man con<TAB>` and `zkdemo completions <TAB>` offered nothing
//! there. The lines are added to what clap_complete wrote, next to the subcommand's own;
//! `tests/docs.rs` checks that every shell's script offers every page.

use clap_complete::Shell;

/// The visible possible values of each top-level subcommand's positional arguments.
fn values(cmd: &clap::Command) -> Vec<(String, Vec<String>)> {
    cmd.get_subcommands()
        .map(|sub| {
            let values: Vec<String> = sub
                .get_positionals()
                .flat_map(|a| a.get_possible_values())
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_owned())
                .collect();
            (sub.get_name().to_owned(), values)
        })
        .filter(|(_, values)| !values.is_empty())
        .collect()
}

/// `script` (clap_complete's, for `shell`) with the positional values added.
pub(super) fn add(shell: Shell, script: Vec<u8>, cmd: &clap::Command) -> Vec<u8> {
    let mut script = String::from_utf8(script).expect("clap_complete writes UTF-8");
    for (sub, values) in values(cmd) {
        // Page and shell names: nothing to quote in any shell.
        debug_assert!(values
            .iter()
            .all(|v| v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')));
        match shell {
            Shell::Fish => {
                for v in &values {
                    script.push_str(&format!(
                        "complete -c zkdemo -n \"__fish_zkdemo_using_subcommand {sub}\" -f -a \
                         \"{v}\"\n"
                    ));
                }
            }
            Shell::Elvish => {
                let lines: String = values
                    .iter()
                    .map(|v| format!("            cand {v} '{v}'\n"))
                    .collect();
                script = after_line(&script, &format!("        &'zkdemo;{sub}'= {{"), &lines);
            }
            Shell::PowerShell => {
                let lines: String = values
                    .iter()
                    .map(|v| {
                        format!(
                            "            [CompletionResult]::new('{v}', '{v}', \
                             [CompletionResultType]::ParameterValue, '{v}')\n"
                        )
                    })
                    .collect();
                script = after_line(&script, &format!("        'zkdemo;{sub}' {{"), &lines);
            }
            // clap_complete writes them.
            _ => {}
        }
    }
    script.into_bytes()
}

/// `text` with `lines` after its line `line` (unchanged when there is no such line: the test
/// of every shell's completions says so).
fn after_line(text: &str, line: &str, lines: &str) -> String {
    match text.find(&format!("\n{line}\n")) {
        Some(i) => {
            let at = i + line.len() + 2;
            format!("{}{lines}{}", &text[..at], &text[at..])
        }
        None => text.to_owned(),
    }
}
