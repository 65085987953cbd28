import { Fault } from '@snapex/contracts';
import { QueryHttpRequest, queryRequestOf } from './query-request';

const form = 'application/x-www-form-urlencoded; charset=utf-8';

function post(body: string, contentType: string | undefined = form, url = '/'): QueryHttpRequest {
  return { method: 'POST', url, contentType, body: Buffer.from(body) };
}

function faultOf(request: QueryHttpRequest): Fault {
  try {
    queryRequestOf(request);
  } catch (error) {
    if (error instanceof Fault) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('Query requests', () => {
  it('takes the action and parameters from a form-encoded body', () => {
    const request = queryRequestOf(post('Action=CancelExportTask&Version=2014-10-31&ExportTaskIdentifier=x'));
    expect(request.action).toBe('CancelExportTask');
    expect([...request.parameters]).toEqual([['ExportTaskIdentifier', 'x']]);
  });

  it('takes them from the query string of a GET, decoding + as a space', () => {
    const request = queryRequestOf({
      method: 'GET',
      url: '/?Action=DescribeExportTasks&Version=2014-10-31&SourceArn=a+b',
      contentType: undefined,
      body: Buffer.alloc(0),
    });
    expect(request.action).toBe('DescribeExportTasks');
    expect(request.parameters.get('SourceArn')).toBe('a b');
  });

  it.each([
    [post('Version=2014-10-31'), 'MissingAction', /Action/],
    [post('Action=&Version=2014-10-31'), 'MissingAction', /Action/],
    [post('Action=StartExportTask'), 'MissingParameter', /Version/],
    [post('Action=StartExportTask&Version=2013-01-10'), 'InvalidAction', /version 2013-01-10/],
    [
      post('Action=StartExportTask&Version=2014-10-31&Action=CancelExportTask'),
      'InvalidParameterValue',
      /more than once/,
    ],
    [post('{"Action":"StartExportTask"}', 'application/json'), 'InvalidParameterValue', /form-encoded/],
  ])('refuses %j', (request, code, message) => {
    const fault = faultOf(request);
    expect(fault.code).toBe(code);
    expect(fault.message).toMatch(message);
  });
});
