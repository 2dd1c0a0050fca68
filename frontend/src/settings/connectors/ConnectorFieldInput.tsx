import type { FieldError, UseFormRegister } from 'react-hook-form';
import { SelectField } from '../../ui/SelectField';
import { TextAreaField } from '../../ui/TextAreaField';
import { TextField } from '../../ui/TextField';
import type { ConnectorFieldInfo, ConnectorForm } from './connectorForm';

interface ConnectorFieldInputProps {
  field: ConnectorFieldInfo;
  group: 'config' | 'credentials';
  register: UseFormRegister<ConnectorForm>;
  error?: FieldError;
  /** isSet tells, for a credential being edited, that a value is stored (never shown). */
  isSet?: boolean;
}

/**
 * ConnectorFieldInput is the input for one field of a connector type, chosen
 * by its kind: text, number, checkbox, a select of its options, a password
 * for a SECRET and a text area for a JSON credential or PEM certificates.
 */
export function ConnectorFieldInput({ field, group, register, error, isSet = false }: ConnectorFieldInputProps) {
  const path = `${group}.${field.name}` as const;
  const label = field.required ? `${field.label} (required)` : field.label;
  const hints = [field.description];
  if (field.default != null) hints.push(`Default: ${field.default}.`);
  if (group === 'credentials') {
    hints.push(isSet ? 'A value is stored; it is never shown. Type a new one to replace it.' : 'Not set.');
  }
  const hint = hints.filter(Boolean).join(' ') || undefined;
  const message = error?.message;

  switch (field.kind) {
    case 'BOOLEAN':
      return (
        <label className="checkbox">
          <input type="checkbox" {...register(path)} />
          {field.label}
          {message && <span className="field-error">{message}</span>}
        </label>
      );
    case 'ENUM':
      return (
        <SelectField label={label} hint={hint} error={message} {...register(path)}>
          <option value="">{field.default != null ? `Default (${field.default})` : 'Choose…'}</option>
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </SelectField>
      );
    case 'JSON':
    case 'CERTIFICATE':
      return (
        <TextAreaField
          label={label}
          hint={hint}
          error={message}
          spellCheck={false}
          className="secret-input"
          placeholder={isSet ? '(stored)' : undefined}
          {...register(path)}
        />
      );
    case 'SECRET':
      return (
        <TextField
          label={label}
          hint={hint}
          error={message}
          type="password"
          autoComplete="new-password"
          placeholder={isSet ? '(stored)' : undefined}
          {...register(path)}
        />
      );
    case 'PORT':
      return (
        <TextField
          label={label}
          hint={hint}
          error={message}
          inputMode="numeric"
          placeholder={field.default ?? undefined}
          {...register(path)}
        />
      );
    default:
      return (
        <TextField
          label={label}
          hint={hint}
          error={message}
          type={field.kind === 'URL' ? 'url' : 'text'}
          spellCheck={false}
          placeholder={field.default ?? undefined}
          {...register(path)}
        />
      );
  }
}
