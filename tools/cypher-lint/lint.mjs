// Usage: node lint.mjs QUERIES.json
// QUERIES.json maps a name to a Cypher query; prints a JSON map of each
// name to its syntax and semantic errors (unknown parameters are expected:
// queries are checked without a schema).
import fs from 'node:fs';
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

const queries = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const errors = {};
for (const [name, query] of Object.entries(queries)) {
  const result = lintCypherQuery(query, {});
  errors[name] = result.diagnostics
    .filter((d) => d.severity === 1 && isNotParamError(d))
    .map((d) => d.message);
}
process.stdout.write(JSON.stringify(errors));
