import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../../gql';
import type { AuditCategory, LogStreamDestination, LogStreamFormat } from '../../../gql/graphql';
import { showMutationError } from '../../../graphql/formErrors';
import { changeMessage } from '../../../ui/changeMessage';
import { Dialog } from '../../../ui/Dialog';
import { FormDialogActions } from '../../../ui/DialogActions';
import { SecretOnce } from '../../../ui/SecretOnce';
import { SelectField } from '../../../ui/SelectField';
import { TextField } from '../../../ui/TextField';
import { useToast } from '../../../ui/toast';
import { ConnectorFieldInput } from '../../connectors/ConnectorFieldInput';
import { connectorSchema, createInput, formConfig, updateInput, type ConnectorForm } from '../../connectors/connectorForm';

export const LogStreamFormDialog_DestinationFragment = graphql(`
  fragment LogStreamFormDialog_Destination on LogStreamDestinationInfo {
    destination
    label
    formats
    configFields {
      name
      label
      description
      kind
      required
      default
      options
    }
    credentialFields {
      name
      label
      description
      kind
      required
      default
      options
    }
  }
`);

export const LogStreamFormDialog_CategoryFragment = graphql(`
  fragment LogStreamFormDialog_Category on AuditCategoryInfo {
    category
    label
  }
`);

export const LogStreamFormDialog_LogStreamFragment = graphql(`
  fragment LogStreamFormDialog_LogStream on LogStream {
    id
    name
    destination
    format
    config
    credentialFields
    categories
    actions
  }
`);

const CreateLogStreamMutation = graphql(`
  mutation CreateLogStream($input: CreateLogStreamInput!) {
    createLogStream(input: $input) {
      logStream {
        id
      }
      signingSecret
    }
  }
`);

const UpdateLogStreamMutation = graphql(`
  mutation UpdateLogStream($input: UpdateLogStreamInput!) {
    updateLogStream(input: $input) {
      logStream {
        id
        ...LogStreamFormDialog_LogStream
      }
      signingSecret
    }
  }
`);

interface LogStreamFormDialogProps {
  /** stream is the stream to edit; without it the dialog adds one. */
  stream?: FragmentType<typeof LogStreamFormDialog_LogStreamFragment>;
  destinations: ReadonlyArray<FragmentType<typeof LogStreamFormDialog_DestinationFragment>>;
  categories: ReadonlyArray<FragmentType<typeof LogStreamFormDialog_CategoryFragment>>;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * LogStreamFormDialog adds a log stream or edits one: its destination's
 * settings and credentials (a form built from the fields the server
 * describes, as a connector's), its format, and which categories it sends.
 * Credentials are write-only; a webhook's generated signing secret is shown
 * once, after saving.
 */
export function LogStreamFormDialog({ stream: streamRef, destinations: destRefs, categories: catRefs, onClose, onSaved }: LogStreamFormDialogProps) {
  const stream = getFragmentData(LogStreamFormDialog_LogStreamFragment, streamRef);
  const destinations = getFragmentData(LogStreamFormDialog_DestinationFragment, destRefs);
  const categories = getFragmentData(LogStreamFormDialog_CategoryFragment, catRefs);
  const toast = useToast();
  const [, createStream] = useMutation(CreateLogStreamMutation);
  const [, updateStream] = useMutation(UpdateLogStreamMutation);
  const [secret, setSecret] = useState<string | null>(null);
  const [format, setFormat] = useState<LogStreamFormat | ''>(stream?.format ?? '');
  const [chosen, setChosen] = useState<ReadonlyArray<AuditCategory>>(stream?.categories ?? []);
  const stored = stream?.credentialFields ?? [];
  const destinationOf = (d: string) => destinations.find((x) => x.destination === d);
  const initial = stream ? destinationOf(stream.destination) : undefined;
  const fields = (d: ReturnType<typeof destinationOf>) =>
    d && { configFields: d.configFields, credentialFields: d.credentialFields };

  const resolver: Resolver<ConnectorForm> = (values, context, options) =>
    zodResolver(connectorSchema(fields(destinationOf(values.type)), stored))(values, context, options);
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ConnectorForm>({
    resolver,
    defaultValues: {
      name: stream?.name ?? '',
      type: stream?.destination ?? '',
      config: initial && stream ? formConfig(initial, stream.config) : {},
      credentials: {},
      clear: {},
    },
  });
  const destination = destinationOf(useWatch({ control, name: 'type' }));

  async function onSubmit(form: ConnectorForm) {
    if (!destination) return;
    const filter = { categories: [...chosen], actions: stream?.actions ?? [] };
    let result;
    if (stream) {
      const changes = updateInput(destination, stream.config, form);
      result = await updateStream({
        input: { id: stream.id, name: form.name, format: format || undefined, filter, ...changes },
      });
    } else {
      const values = createInput(destination, form);
      result = await createStream({
        input: {
          name: form.name,
          destination: destination.destination satisfies LogStreamDestination,
          format: format || undefined,
          filter,
          ...values,
        },
      });
    }
    if (result.error) {
      const names = [
        'name' as const,
        'type' as const,
        ...destination.configFields.map((f) => `config.${f.name}` as const),
        ...destination.credentialFields.map((f) => `credentials.${f.name}` as const),
      ];
      return showMutationError(result.error, setError, names);
    }
    toast(changeMessage('Log stream', form.name, stream ? 'updated' : 'created'));
    onSaved();
    const generated =
      result.data && 'createLogStream' in result.data
        ? result.data.createLogStream.signingSecret
        : result.data && 'updateLogStream' in result.data
          ? result.data.updateLogStream.signingSecret
          : null;
    if (generated) setSecret(generated);
    else onClose();
  }

  if (secret) {
    return (
      <Dialog title="Webhook signing secret" onClose={onClose}>
        <SecretOnce label="signing secret" value={secret} />
        <p className="muted">
          Each batch carries <code>Orgtrail-Signature: t=…,v1=…</code>: the HMAC-SHA256 of the timestamp, a dot and the
          body under this secret.
        </p>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={stream ? `Edit log stream ${stream.name}` : 'Add log stream'} onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack" autoComplete="off">
        <TextField label="Name" error={errors.name?.message} {...register('name')} />
        {stream ? (
          <p className="muted">Destination: {initial?.label ?? stream.destination} (it cannot change)</p>
        ) : (
          <SelectField label="Destination" error={errors.type?.message} {...register('type')}>
            <option value="">Choose a destination…</option>
            {destinations.map((d) => (
              <option key={d.destination} value={d.destination}>
                {d.label}
              </option>
            ))}
          </SelectField>
        )}
        {destination && (
          <>
            <SelectField
              label="Format"
              value={format || destination.formats[0]}
              onChange={(e) => setFormat(e.target.value as LogStreamFormat)}
            >
              {destination.formats.map((f) => (
                <option key={f} value={f}>
                  {f === 'JSON' ? 'JSON (the API’s event shape)' : f === 'OCSF' ? 'OCSF 1.1' : 'CEF'}
                </option>
              ))}
            </SelectField>
            <fieldset className="fieldset">
              <legend>Events to send</legend>
              <p className="muted">None chosen: every event.</p>
              <div className="check-grid">
                {categories.map((c) => (
                  <label key={c.category} className="checkbox">
                    <input
                      type="checkbox"
                      checked={chosen.includes(c.category)}
                      onChange={(e) =>
                        setChosen(e.target.checked ? [...chosen, c.category] : chosen.filter((x) => x !== c.category))
                      }
                    />
                    {c.label}
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset className="fieldset">
              <legend>{destination.label} settings</legend>
              {destination.configFields.map((field) => (
                <ConnectorFieldInput
                  key={`${destination.destination}.${field.name}`}
                  field={field}
                  group="config"
                  register={register}
                  error={errors.config?.[field.name]}
                />
              ))}
            </fieldset>
            {destination.credentialFields.length > 0 && (
              <fieldset className="fieldset">
                <legend>Credentials</legend>
                <p className="muted">
                  Stored encrypted and never shown again. Changing where the stream sends clears them unless you enter
                  them again.
                </p>
                {destination.credentialFields.map((field) => (
                  <ConnectorFieldInput
                    key={`${destination.destination}.${field.name}`}
                    field={field}
                    group="credentials"
                    register={register}
                    error={errors.credentials?.[field.name]}
                    isSet={stream ? stored.includes(field.name) : undefined}
                  />
                ))}
              </fieldset>
            )}
          </>
        )}
        <FormDialogActions
          errors={errors}
          submitLabel={stream ? 'Save stream' : 'Add stream'}
          submitting={isSubmitting}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
