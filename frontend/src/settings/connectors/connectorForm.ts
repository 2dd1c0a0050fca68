import { z } from '../../forms/zod';
import type { ConnectorFieldKind } from '../../gql/graphql';

/** ConnectorFieldInfo is how the server describes one configuration or credential field. */
export interface ConnectorFieldInfo {
  name: string;
  label: string;
  description: string;
  kind: ConnectorFieldKind;
  required: boolean;
  default?: string | null;
  options: ReadonlyArray<string>;
}

/** ConnectorTypeFields are a connector type's fields, as connectorTypes serves them. */
export interface ConnectorTypeFields {
  configFields: ReadonlyArray<ConnectorFieldInfo>;
  credentialFields: ReadonlyArray<ConnectorFieldInfo>;
}

/**
 * ConnectorForm is what the connector form holds: config and credential
 * values keyed by field name, as typed (booleans for BOOLEAN fields), and
 * which stored credentials to remove.
 */
export interface ConnectorForm {
  name: string;
  type: string;
  config: Record<string, string | boolean>;
  credentials: Record<string, string>;
  clear: Record<string, boolean>;
}

const hostPattern = /^[A-Za-z0-9.-]+$|^[0-9A-Fa-f:]+$/;

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.host !== '' && !url.username && !url.password && !url.search && !url.hash;
  } catch {
    return false;
  }
}

function isJsonObject(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** fieldRule mirrors the server's check of one field's kind; an empty value means "not given". */
function fieldRule(field: ConnectorFieldInfo, mustBeGiven: boolean): z.ZodType {
  if (field.kind === 'BOOLEAN') return z.boolean();
  return z.string().superRefine((raw, ctx) => {
    const value = field.kind === 'SECRET' || field.kind === 'JSON' || field.kind === 'CERTIFICATE' ? raw : raw.trim();
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (value.trim() === '') {
      if (mustBeGiven) fail(`Enter ${field.label}`);
      return;
    }
    switch (field.kind) {
      case 'PORT':
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) fail('Enter a port from 1 to 65535');
        break;
      case 'HOST':
        if (!hostPattern.test(value)) fail('Enter a hostname or an IP address, without scheme or port');
        break;
      case 'URL':
        if (!isHttpsUrl(value)) fail('Enter an https:// URL without credentials, query or fragment');
        break;
      case 'ENUM':
        if (!field.options.includes(value)) fail(`Choose one of ${field.options.join(', ')}`);
        break;
      case 'JSON':
        if (!isJsonObject(value)) fail('Paste a JSON object');
        break;
      case 'CERTIFICATE':
        if (!value.includes('-----BEGIN CERTIFICATE-----')) fail('Paste PEM certificates (-----BEGIN CERTIFICATE-----)');
        break;
      case 'STRING':
        if (value.length > 255) fail('Use at most 255 characters');
        break;
    }
  });
}

/**
 * connectorSchema is the form's validation for one connector type, mirroring
 * the server: required fields without a default must be given, and a
 * required credential must be given unless one is stored already.
 */
export function connectorSchema(
  type: ConnectorTypeFields | undefined,
  storedCredentials: ReadonlyArray<string>,
): z.ZodType<ConnectorForm, ConnectorForm> {
  const config = Object.fromEntries(
    (type?.configFields ?? []).map((f) => [f.name, fieldRule(f, f.required && f.default == null)]),
  );
  const credentials = Object.fromEntries(
    (type?.credentialFields ?? []).map((f) => [f.name, fieldRule(f, f.required && !storedCredentials.includes(f.name))]),
  );
  return z.object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name')
      .max(64, 'Use at most 64 characters'),
    type: z.string().min(1, 'Choose a type'),
    config: z.object(config),
    credentials: z.object(credentials),
    clear: z.record(z.string(), z.boolean()),
  }) as unknown as z.ZodType<ConnectorForm, ConnectorForm>;
}

/** configValue turns a typed config value into JSON for the server (null: not given). */
function configValue(field: ConnectorFieldInfo, typed: string | boolean | undefined): unknown {
  if (field.kind === 'BOOLEAN') return typed === true;
  const value = typeof typed === 'string' ? typed.trim() : '';
  if (value === '') return null;
  return field.kind === 'PORT' ? Number(value) : value;
}

/** formConfig is a connector's stored config as the form shows it. */
export function formConfig(type: ConnectorTypeFields, config: Record<string, unknown>): ConnectorForm['config'] {
  return Object.fromEntries(
    type.configFields.map((f) => {
      const stored = config[f.name];
      if (f.kind === 'BOOLEAN') return [f.name, stored === true];
      return [f.name, stored == null ? '' : String(stored)];
    }),
  );
}

/** createInput is the config and credentials of a new connector: only fields given. */
export function createInput(type: ConnectorTypeFields, form: ConnectorForm) {
  const config: Record<string, unknown> = {};
  for (const f of type.configFields) {
    const value = configValue(f, form.config[f.name]);
    if (value !== null) config[f.name] = value;
  }
  const credentials: Record<string, unknown> = {};
  for (const f of type.credentialFields) {
    const typed = form.credentials[f.name] ?? '';
    if (typed.trim() !== '') credentials[f.name] = typed;
  }
  return { config, credentials };
}

/**
 * updateInput is what changed in a connector: config fields whose value
 * differs (null sends one back to its default), credentials typed anew, and
 * stored credentials to remove (null). Nothing changed: undefined.
 */
export function updateInput(type: ConnectorTypeFields, stored: Record<string, unknown>, form: ConnectorForm) {
  const before = formConfig(type, stored);
  const config: Record<string, unknown> = {};
  for (const f of type.configFields) {
    const typed = form.config[f.name];
    const unchanged = typeof typed === 'string' ? typed.trim() === before[f.name] : typed === before[f.name];
    if (!unchanged) config[f.name] = configValue(f, typed);
  }
  const credentials: Record<string, unknown> = {};
  for (const f of type.credentialFields) {
    const typed = form.credentials[f.name] ?? '';
    if (typed.trim() !== '') credentials[f.name] = typed;
    else if (form.clear[f.name]) credentials[f.name] = null;
  }
  return {
    config: Object.keys(config).length > 0 ? config : undefined,
    credentials: Object.keys(credentials).length > 0 ? credentials : undefined,
  };
}
