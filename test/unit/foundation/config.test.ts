import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('has working defaults for a developer machine', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(4000);
    expect(c.node.role).toBe('brand');
    expect(c.neo4j.uri).toBeUndefined();
    expect(c.http.graphiql).toBe(true);
  });

  it('names the setting when the role is unknown', () => {
    expect(problemsOf({ PALISADE_ROLE: 'police' }).join()).toMatch(
      /PALISADE_ROLE must be one of brand, association/,
    );
  });

  it('names the setting when a port is out of range or not a number', () => {
    expect(problemsOf({ PALISADE_PORT: '70000' }).join()).toMatch(
      /PALISADE_PORT must be between 1 and 65535/,
    );
    expect(problemsOf({ PALISADE_PORT: 'eighty' }).join()).toMatch(/PALISADE_PORT/);
    expect(problemsOf({ PALISADE_NEO4J_BOLT_PORT: '0' }).join()).toMatch(
      /PALISADE_NEO4J_BOLT_PORT/,
    );
  });

  it('reports every wrong setting at once', () => {
    const problems = problemsOf({ PALISADE_ROLE: 'x', PALISADE_PORT: '-1', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
  });

  it('refuses a NEO4J_URI that is not a Bolt or Neo4j URI, and one without a password', () => {
    expect(problemsOf({ NEO4J_URI: 'http://localhost:7474', NEO4J_PASSWORD: 'x' }).join()).toMatch(
      /NEO4J_URI must be/,
    );
    expect(problemsOf({ NEO4J_URI: 'neo4j://db:7687' }).join()).toMatch(
      /NEO4J_PASSWORD is required/,
    );
  });

  it('turns GraphiQL off in production and refuses to force it on', () => {
    expect(loadConfig({ PALISADE_ENV: 'production' }).http.graphiql).toBe(false);
    expect(problemsOf({ PALISADE_ENV: 'production', PALISADE_GRAPHIQL: 'true' }).join()).toMatch(
      /PALISADE_GRAPHIQL/,
    );
  });

  it('lets no other origin call the node unless PALISADE_CORS_ORIGINS lists it exactly', () => {
    expect(loadConfig({}).http.corsOrigins).toEqual([]);
    expect(
      loadConfig({ PALISADE_CORS_ORIGINS: 'https://console.brand.example, http://localhost:5173' })
        .http.corsOrigins,
    ).toEqual(['https://console.brand.example', 'http://localhost:5173']);
    const problems = problemsOf({
      PALISADE_CORS_ORIGINS: '*,https://a.example/app,ftp://files.example,console.example',
    });
    expect(problems).toEqual([
      'PALISADE_CORS_ORIGINS cannot hold *: list each origin that may call the node',
      'PALISADE_CORS_ORIGINS: "https://a.example/app" is not an origin (https://host or https://host:port, no path)',
      'PALISADE_CORS_ORIGINS: "ftp://files.example" is not an origin (https://host or https://host:port, no path)',
      'PALISADE_CORS_ORIGINS: "console.example" is not an origin (https://host or https://host:port, no path)',
    ]);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ NEO4J_URI: '', PALISADE_PORT: '' }).neo4j.uri).toBeUndefined();
  });
});

describe('the managed Neo4j JIT setting', () => {
  it('defaults to throughput and names the setting when the value is wrong', () => {
    expect(loadConfig({}).neo4j.managed.jit).toBe('throughput');
    expect(loadConfig({ PALISADE_NEO4J_JIT: 'quick-start' }).neo4j.managed.jit).toBe('quick-start');
    expect(() => loadConfig({ PALISADE_NEO4J_JIT: 'fast' })).toThrow(ConfigError);
    expect(() => loadConfig({ PALISADE_NEO4J_JIT: 'fast' })).toThrow(/PALISADE_NEO4J_JIT/);
  });
});
