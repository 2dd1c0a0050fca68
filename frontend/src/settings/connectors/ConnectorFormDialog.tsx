import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import type { ConnectorType } from '../../gql/graphql';
import { showMutationError } from '../../graphql/formErrors';
import { Dialog } from '../../ui/Dialog';
import { FormDialogActions } from '../../ui/DialogActions';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { ConnectorFieldInput } from './ConnectorFieldInput';
import { connectorSchema, createInput, formConfig, updateInput, type ConnectorForm } from './connectorForm';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';

export const ConnectorFormDialog_ConnectorTypeFragment = graphql(`
  fragment ConnectorFormDialog_ConnectorType on ConnectorTypeInfo {
    type
    label
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

export const ConnectorFormDialog_ConnectorFragment = graphql(`
  fragment ConnectorFormDialog_Connector on Connector {
    id
    name
    type
    config
    credentialFields
  }
`);

const CreateConnectorMutation = graphql(`
  mutation CreateConnector($input: CreateConnectorInput!) {
    createConnector(input: $input) {
      connector {
        id
      }
    }
  }
`);

const UpdateConnectorMutation = graphql(`
  mutation UpdateConnector($input: UpdateConnectorInput!) {
    updateConnector(input: $input) {
      connector {
        id
        ...ConnectorFormDialog_Connector
      }
    }
  }
`);

interface ConnectorFormDialogProps {
  /** connector is the connector to edit; without it the dialog creates one. */
  connector?: FragmentType<typeof ConnectorFormDialog_ConnectorFragment>;
  types: ReadonlyArray<FragmentType<typeof ConnectorFormDialog_ConnectorTypeFragment>>;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * ConnectorFormDialog creates a connector or edits one, with a form built
 * from its type's fields as the server describes them. Credentials are
 * write-only: the form says which are stored, never what they hold.
 */
export function ConnectorFormDialog({ connector: connectorRef, types: typeRefs, onClose, onSaved }: ConnectorFormDialogProps) {
  const connector = getFragmentData(ConnectorFormDialog_ConnectorFragment, connectorRef);
  const types = getFragmentData(ConnectorFormDialog_ConnectorTypeFragment, typeRefs);
  const toast = useToast();
  const [, createConnector] = useMutation(CreateConnectorMutation);
  const [, updateConnector] = useMutation(UpdateConnectorMutation);
  const stored = connector?.credentialFields ?? [];
  const typeOf = (type: string) => types.find((t) => t.type === type);
  const initialType = connector ? typeOf(connector.type) : undefined;

  // The rules depend on the type chosen, so the schema is picked per validation.
  const resolver: Resolver<ConnectorForm> = (values, context, options) =>
    zodResolver(connectorSchema(typeOf(values.type), stored))(values, context, options);
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ConnectorForm>({
    resolver,
    defaultValues: {
      name: connector?.name ?? '',
      type: connector?.type ?? '',
      config: initialType && connector ? formConfig(initialType, connector.config) : {},
      credentials: {},
      clear: {},
    },
  });
  const type = typeOf(useWatch({ control, name: 'type' }));

  async function onSubmit(form: ConnectorForm) {
    if (!type) return;
    let result;
    if (connector) {
      const changes = updateInput(type, connector.config, form);
      result = await updateConnector({ input: { id: connector.id, name: form.name, ...changes } });
    } else {
      const values = createInput(type, form);
      result = await createConnector({ input: { name: form.name, type: type.type, ...values } });
    }
    if (result.error) {
      const fields = [
        'name' as const,
        'type' as const,
        ...type.configFields.map((f) => `config.${f.name}` as const),
        ...type.credentialFields.map((f) => `credentials.${f.name}` as const),
      ];
      return showMutationError(result.error, setError, fields);
    }
    toast(changeMessage('Connector', form.name, connector ? 'updated' : 'created'));
    onSaved();
    onClose();
  }

  return (
    <Dialog title={connector ? `Edit connector ${connector.name}` : 'Create connector'} onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="stack" autoComplete="off">
        <TextField label="Name" error={errors.name?.message} {...register('name')} />
        {connector ? (
          <p className="muted">Type: {initialType?.label ?? connector.type} (it cannot change)</p>
        ) : (
          <SelectField label="Type" error={errors.type?.message} {...register('type')}>
            <option value="">Choose a type…</option>
            {types.map((t) => (
              <option key={t.type} value={t.type satisfies ConnectorType}>
                {t.label}
              </option>
            ))}
          </SelectField>
        )}
        {type && (
          <>
            <fieldset className="fieldset">
              <legend>{type.label} settings</legend>
              {type.configFields.map((field) => (
                <ConnectorFieldInput
                  key={`${type.type}.${field.name}`}
                  field={field}
                  group="config"
                  register={register}
                  error={errors.config?.[field.name]}
                />
              ))}
            </fieldset>
            {type.credentialFields.length > 0 && (
              <fieldset className="fieldset">
                <legend>Credentials</legend>
                <p className="muted">Stored encrypted and never shown again.</p>
                {type.credentialFields.map((field) => (
                  <div key={`${type.type}.${field.name}`} className="stack">
                    <ConnectorFieldInput
                      field={field}
                      group="credentials"
                      register={register}
                      error={errors.credentials?.[field.name]}
                      isSet={connector ? stored.includes(field.name) : undefined}
                    />
                    {connector && stored.includes(field.name) && !field.required && (
                      <label className="checkbox">
                        <input type="checkbox" {...register(`clear.${field.name}`)} />
                        Remove the stored {field.label.toLowerCase()}
                      </label>
                    )}
                  </div>
                ))}
              </fieldset>
            )}
          </>
        )}
        <FormDialogActions
          errors={errors}
          submitLabel={connector ? 'Save connector' : 'Create connector'}
          submitting={isSubmitting}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
