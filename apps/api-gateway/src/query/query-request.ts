import { Fault } from '@snapex/contracts';

export const RDS_API_VERSION = '2014-10-31';

/** One Query-protocol call: the action and its flattened parameters, `Action` and `Version` taken out. */
export interface QueryRequest {
  action: string;
  parameters: Map<string, string>;
}

export interface QueryHttpRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * Reads `Action=…&Version=2014-10-31&…` from a form-encoded POST body or a GET query string, the two
 * ways the Query protocol is sent; parameters in the URL of a POST count as well.
 */
export function queryRequestOf(http: QueryHttpRequest): QueryRequest {
  const parameters = parametersOf(http);
  const action = parameters.get('Action');
  const version = parameters.get('Version');
  parameters.delete('Action');
  parameters.delete('Version');
  if (!action) throw new Fault('MissingAction', 'The request must contain the parameter Action.');
  if (version === undefined) {
    throw new Fault('MissingParameter', 'The request must contain the parameter Version.');
  }
  if (version !== RDS_API_VERSION) {
    throw new Fault('InvalidAction', `Could not find operation ${action} for version ${version}.`);
  }
  return { action, parameters };
}

function parametersOf(http: QueryHttpRequest): Map<string, string> {
  const parameters = new Map<string, string>();
  const query = http.url.includes('?') ? http.url.slice(http.url.indexOf('?') + 1) : '';
  addParameters(parameters, query);
  if (http.method === 'POST') {
    checkFormEncoded(http.contentType);
    addParameters(parameters, http.body.toString('utf8'));
  }
  return parameters;
}

function addParameters(parameters: Map<string, string>, encoded: string): void {
  for (const [name, value] of new URLSearchParams(encoded)) {
    if (parameters.has(name)) {
      throw new Fault('InvalidParameterValue', `The parameter ${name} must not be given more than once.`);
    }
    parameters.set(name, value);
  }
}

function checkFormEncoded(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== '' && mediaType !== 'application/x-www-form-urlencoded') {
    throw new Fault(
      'InvalidParameterValue',
      `The Query API takes parameters form-encoded (application/x-www-form-urlencoded), not ${mediaType}.`,
    );
  }
}
