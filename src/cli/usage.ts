export function usage(): string {
  return `Corral — an open-source TR-069 (CWMP) platform

Usage: corral <command> [options]

Commands:
  serve             Run the ACS: the CWMP endpoint (7547) and the REST API (7557), with embedded
                    storage in ./data. \`corral serve --help\` lists its settings.
  sim               Run a fleet of simulated CPEs against an ACS: \`corral sim --devices N --acs URL\`.
                    \`corral sim --help\` lists its options.
  check             The conformance lab: act as one device's ACS and run test cases against it
                    (\`corral check --port P\`, \`--list\` for the catalogue, \`--help\` for the options).
  bench             Benchmark the ACS: periodic, first-contact, storm, scale and task scenarios, each
                    beside a floor measured in the same run (\`--quick\` for a half-minute smoke run,
                    \`corral bench --help\` for the options).
  user              The console's users: \`corral user list|add|passwd|remove\` (\`--help\` for more).
  store             Move an installation to another store: \`corral store copy --from DIR --to URL\`.
  decode [FILE|-]   Decode one CWMP SOAP message (a capture, a file, or standard input) and print it
                    as JSON with the warnings the decoder raised. Exit 0 when it decodes, 2 when it
                    cannot (the typed error is printed on stderr), 1 when the file cannot be read.
  help [COMMAND]    Show this help, or a command's (\`corral help serve\`).

Options:
  -v, --version     Print the version.

Switches are on with --flag or --flag true, off with --no-flag or --flag false. A wrong option or value
exits 2 with one line saying which.
`;
}
