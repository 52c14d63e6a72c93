// One operation of the source (Swagger 2.0 or OpenAPI 3.x), converted to an
// OpenAPI 3.1 operation the generator reads, or the reason it cannot be.
//
// Kept: summary, description, tags, deprecated, the parameters in path, query
// and header, the JSON body, the one 2xx answer. The first link to WeChat's
// documentation in the description becomes `externalDocs.url` (the client's
// JSDoc and the audit read it). Every operation is marked
// `x-wechatpay-source: community`, which covers every field under it.
//
// Encryption: a request that carries an encrypted field (a body field or a
// query parameter marked `format: base64`, see wechat.ts) must name the
// WeChat Pay key it is encrypted for in the `Wechatpay-Serial` header; the
// community declares that header on most such operations, and where it does
// not, the header is added (reported).
import type { Json, JsonObject } from '../load.js';
import { isObject, refOf, type Place, type SourceReader } from './read.js';
import type { Tally } from './report.js';
import { SCHEMA_REF_PREFIX, type SchemaConverter, type Sink } from './schemas.js';
import { mediaTypes, splitParameter, unsupportedMedia } from './swagger2.js';
import { ENCRYPTION } from './wechat.js';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const SERIAL = 'Wechatpay-Serial';

export interface ImportedOperation {
  method: string;
  path: string;
  place: Place;
  /** The operation as written to the output (no operationId yet). */
  operation: JsonObject;
  /** An operationId the source gives, if any. */
  sourceId: string | undefined;
  sink: Sink;
}

interface Located {
  node: JsonObject;
  place: Place;
}

export class OperationConverter {
  constructor(
    private readonly reader: SourceReader,
    private readonly schemas: SchemaConverter,
    private readonly doc: JsonObject,
    private readonly swagger: boolean,
    private readonly mapped: Tally,
  ) {}

  convert(path: string, method: string, op: JsonObject, place: Place, itemParameters: Json | undefined, itemPlace: Place): ImportedOperation {
    const sink: Sink = { findings: [], uses: new Set() };
    const out: JsonObject = {};
    for (const k of ['summary', 'description', 'tags', 'deprecated']) if (op[k] !== undefined) out[k] = op[k]!;
    const docUrl = typeof op['description'] === 'string' ? /\((https:\/\/pay\.weixin\.qq\.com\/[^)\s]+)\)/.exec(op['description'])?.[1] : undefined;
    if (isObject(op['externalDocs'])) out['externalDocs'] = op['externalDocs'];
    else if (docUrl) out['externalDocs'] = { url: docUrl };
    out['x-wechatpay-source'] = 'community';
    for (const k of Object.keys(op)) if (k.startsWith('x-')) this.mapped.add(`extension ${k} left out (not one the generator reads)`);

    const notCarried = (p: Place, message: string) => this.schemas.note(sink, p, 'not-carried', message);
    if (this.swagger) {
      const why = unsupportedMedia(mediaTypes(op, this.doc, 'consumes'), mediaTypes(op, this.doc, 'produces'));
      if (why) notCarried(place, why);
    }
    const parameters: JsonObject[] = [];
    for (const { node, place: pPlace } of this.parameters(itemParameters, itemPlace, op['parameters'], { file: place.file, at: [...place.at, 'parameters'] }, sink)) {
      const where = node['in'];
      if (where === 'body') {
        out['requestBody'] = this.body(node['schema'], node, { file: pPlace.file, at: [...pPlace.at, 'schema'] }, sink);
      } else if (where === 'formData') {
        notCarried(pPlace, `form field ${String(node['name'])} (a multipart upload): the generator carries JSON bodies only`);
      } else if (where === 'path' || where === 'query' || where === 'header') {
        parameters.push(this.parameter(node, pPlace, sink));
      } else {
        notCarried(pPlace, `parameter ${String(node['name'])} in ${String(where)}: only path, query, header and a JSON body are carried`);
      }
    }
    if (!this.swagger && op['requestBody'] !== undefined) out['requestBody'] = this.requestBody3(op['requestBody'], { file: place.file, at: [...place.at, 'requestBody'] }, sink);
    this.ensurePathParameters(path, parameters, place, sink);
    this.ensureSerial(parameters, out, place, sink);
    this.checkFlatNames(parameters, out, place, sink);
    if (parameters.length) out['parameters'] = parameters;
    out['responses'] = this.responses(op['responses'], { file: place.file, at: [...place.at, 'responses'] }, sink);
    return { method, path, place, operation: out, sourceId: typeof op['operationId'] === 'string' ? op['operationId'] : undefined, sink };
  }

  /** The path item's parameters, then the operation's (which replace the path item's of the same name and place), references followed. */
  private parameters(itemList: Json | undefined, itemPlace: Place, opList: Json | undefined, opPlace: Place, sink: Sink): Located[] {
    const read = (list: Json | undefined, place: Place): Located[] =>
      (Array.isArray(list) ? list : []).flatMap((p, i) => {
        const at = { file: place.file, at: [...place.at, i] };
        const found = this.follow(p, at, sink);
        return found ? [found] : [];
      });
    const own = read(opList, opPlace);
    const key = (p: Located) => `${String(p.node['in'])}:${String(p.node['name'])}`;
    return [...read(itemList, itemPlace).filter((p) => !own.some((o) => key(o) === key(p))), ...own];
  }

  /** A parameter, body or response written out or by reference: the object and where it is written. */
  private follow(node: Json, place: Place, sink: Sink): Located | undefined {
    const ref = refOf(node);
    if (ref === undefined) return isObject(node) ? { node, place } : undefined;
    const t = this.reader.resolve(ref, place.file);
    if (typeof t === 'string') {
      this.schemas.note(sink, place, 'not-carried', `$ref ${t}`);
      return undefined;
    }
    return this.follow(t.value, t, sink);
  }

  private parameter(node: JsonObject, place: Place, sink: Sink): JsonObject {
    let parameter: JsonObject;
    let schema: Json;
    if (this.swagger) {
      const split = splitParameter(node);
      parameter = split.parameter;
      schema = split.schema;
      // A value in a path, query or header is text; Swagger requires a type there, and the community leaves it out on headers.
      if (schema['type'] === undefined && schema['allOf'] === undefined) {
        schema['type'] = 'string';
        this.mapped.add('parameter with no type → type string');
      }
      for (const k of split.ignored) {
        const at = { file: place.file, at: [...place.at, k] };
        if (k === 'require' && typeof node[k] === 'boolean' && parameter['required'] === undefined) {
          parameter['required'] = node[k];
          this.schemas.note(sink, at, 'repaired', `\`require\` on parameter ${String(node['name'])} read as \`required\``);
        } else if (k === 'nullable') this.mapped.add('nullable on a parameter left out (an absent parameter is not sent)');
        else if (!k.startsWith('x-')) this.schemas.note(sink, at, 'dropped', `\`${k}\` on parameter ${String(node['name'])}`);
      }
    } else {
      parameter = Object.fromEntries(Object.entries(node).filter(([k]) => ['name', 'in', 'required', 'description', 'example', 'deprecated'].includes(k)));
      schema = node['schema'] ?? null;
      if (node['content'] !== undefined) this.schemas.note(sink, place, 'not-carried', `parameter ${String(node['name'])} has \`content\`: only plain values are carried`);
    }
    if (node['in'] === 'path') parameter['required'] = true;
    const converted = this.schemas.convert(schema, { file: place.file, at: this.swagger ? place.at : [...place.at, 'schema'] }, sink);
    const type = isObject(converted) ? converted['type'] : undefined;
    if (type === 'array' || type === 'object') this.schemas.note(sink, place, 'not-carried', `${String(node['in'])} parameter ${String(node['name'])} is ${type === 'array' ? 'a list' : 'an object'}: only single values travel in a ${String(node['in'])}`);
    parameter['schema'] = converted;
    return parameter;
  }

  private body(schema: Json | undefined, param: JsonObject, place: Place, sink: Sink): JsonObject {
    const out: JsonObject = {};
    if (typeof param['description'] === 'string') out['description'] = param['description'];
    if (param['required'] === true) out['required'] = true;
    out['content'] = { 'application/json': { schema: this.schemas.convert(schema, place, sink) } };
    return out;
  }

  private requestBody3(node: Json, place: Place, sink: Sink): JsonObject {
    const found = this.follow(node, place, sink);
    if (!found) return {};
    const content = isObject(found.node['content']) ? found.node['content'] : {};
    const json = this.jsonMedia(content, { file: found.place.file, at: [...found.place.at, 'content'] }, sink, 'request body');
    return this.body(json?.node['schema'], found.node, { file: found.place.file, at: [...(json?.place.at ?? found.place.at), 'schema'] }, sink);
  }

  private jsonMedia(content: JsonObject, place: Place, sink: Sink, what: string): Located | undefined {
    const types = Object.keys(content);
    const json = types.find((t) => /^application\/json/i.test(t));
    const other = types.filter((t) => t !== json);
    if (other.length) this.schemas.note(sink, place, 'not-carried', `the ${what} travels as ${other.join(', ')}: the generator carries JSON only`);
    const media = json === undefined ? undefined : content[json];
    return isObject(media) ? { node: media, place: { file: place.file, at: [...place.at, json!] } } : undefined;
  }

  /** The one 2xx answer; error answers are left out (the client maps every APIv3 error by its code). */
  private responses(node: Json | undefined, place: Place, sink: Sink): JsonObject {
    const out: JsonObject = {};
    const all = isObject(node) ? node : {};
    const success = Object.keys(all).filter((s) => /^2\d\d$/.test(s));
    if (success.length !== 1) this.schemas.note(sink, place, 'not-carried', `${success.length === 0 ? 'no' : success.length} 2xx answers: an operation needs exactly one`);
    for (const s of Object.keys(all)) if (!success.includes(s)) this.mapped.add('error answer left out (the client maps every APIv3 error by its code)');
    for (const status of success) {
      const found = this.follow(all[status]!, { file: place.file, at: [...place.at, status] }, sink);
      if (!found) continue;
      const r: JsonObject = { description: typeof found.node['description'] === 'string' && found.node['description'] !== '' ? found.node['description'] : status === '204' ? 'No Content' : 'OK' };
      let schema: Json | undefined;
      let sPlace: Place = { file: found.place.file, at: [...found.place.at, 'schema'] };
      if (this.swagger) schema = found.node['schema'];
      else if (isObject(found.node['content'])) {
        const json = this.jsonMedia(found.node['content'], { file: found.place.file, at: [...found.place.at, 'content'] }, sink, `${status} answer`);
        schema = json?.node['schema'];
        if (json) sPlace = { file: json.place.file, at: [...json.place.at, 'schema'] };
      }
      if (schema !== undefined && status === '204') this.schemas.note(sink, sPlace, 'repaired', 'a 204 answer has no body: its schema is left out');
      else if (isObject(schema) && Object.keys(schema).length === 0) this.schemas.note(sink, sPlace, 'repaired', `the ${status} answer's schema is empty ({}): carried as an answer with no documented body`);
      else if (schema !== undefined) r['content'] = { 'application/json': { schema: this.schemas.convert(schema, sPlace, sink) } };
      if (found.node['headers'] !== undefined) this.mapped.add('answer headers left out (the runtime reads the ones it checks)');
      out[status] = r;
    }
    return out;
  }

  /** A `{name}` of the path that no parameter declares: added as a required string (the path says it is there). */
  private ensurePathParameters(path: string, parameters: JsonObject[], place: Place, sink: Sink): void {
    const template = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    // A path parameter the path does not have: a misspelling of the one name nobody declares, else a leftover.
    for (const p of parameters.filter((x) => x['in'] === 'path' && !template.includes(String(x['name'])))) {
      const undeclared = template.filter((n) => !parameters.some((x) => x['name'] === n));
      if (undeclared.length === 1) {
        this.schemas.note(sink, place, 'repaired', `path parameter ${String(p['name'])} is not in the path, whose {${undeclared[0]}} no parameter declares: read as ${undeclared[0]}`);
        p['name'] = undeclared[0]!;
      } else {
        this.schemas.note(sink, place, 'repaired', `path parameter ${String(p['name'])} is not in the path: left out`);
        parameters.splice(parameters.indexOf(p), 1);
      }
    }
    for (const name of template) {
      if (parameters.some((p) => p['in'] === 'path' && p['name'] === name)) continue;
      const elsewhere = parameters.find((p) => p['name'] === name && p['in'] !== 'header');
      if (elsewhere) {
        this.schemas.note(sink, place, 'repaired', `the path has {${name}}, which the description declares in ${String(elsewhere['in'])}: read as a path parameter`);
        elsewhere['in'] = 'path';
        elsewhere['required'] = true;
        continue;
      }
      const at = parameters.findIndex((p) => p['in'] !== 'path');
      parameters.splice(at < 0 ? parameters.length : at, 0, { name: name!, in: 'path', required: true, schema: { type: 'string' } });
      this.schemas.note(sink, place, 'added', `the path has {${name}} but no parameter declares it: added as a string path parameter`);
    }
  }

  /** The client takes one flat object of path, query, header and body fields: a name in two of them cannot be carried. */
  private checkFlatNames(parameters: JsonObject[], op: JsonObject, place: Place, sink: Sink): void {
    const owner = new Map<string, string>();
    for (const p of parameters) if (!(p['in'] === 'header' && String(p['name']).toLowerCase() === SERIAL.toLowerCase())) owner.set(String(p['name']), String(p['in']));
    const body = isObject(op['requestBody']) && isObject(op['requestBody']['content']) ? op['requestBody']['content']['application/json'] : undefined;
    let schema = isObject(body) ? body['schema'] : undefined;
    const ref = refOf(schema);
    if (ref?.startsWith(SCHEMA_REF_PREFIX)) schema = this.schemas.component(ref.slice(SCHEMA_REF_PREFIX.length)).schema;
    const props = isObject(schema) && isObject(schema['properties']) ? Object.keys(schema['properties']) : [];
    for (const name of props) {
      const other = owner.get(name);
      if (other) this.schemas.note(sink, place, 'not-carried', `field ${name} is both a ${other} parameter and a body field: the client's one request object cannot hold both`);
    }
  }

  /** An encrypted request field needs the Wechatpay-Serial header: added or made required when the source lacks it. */
  private ensureSerial(parameters: JsonObject[], op: JsonObject, place: Place, sink: Sink): void {
    const body = isObject(op['requestBody']) && isObject(op['requestBody']['content']) ? op['requestBody']['content']['application/json'] : undefined;
    const schemas = [...parameters.filter((p) => p['in'] !== 'header').map((p) => p['schema'] ?? null), isObject(body) ? (body['schema'] ?? null) : null];
    if (!schemas.some((s) => this.hasEncrypted(s, new Set()))) return;
    const serial = parameters.find((p) => p['in'] === 'header' && String(p['name']).toLowerCase() === SERIAL.toLowerCase());
    if (serial && serial['required'] === true) return;
    if (serial) {
      serial['required'] = true;
      this.schemas.note(sink, place, 'repaired', `the request carries encrypted fields, so its ${SERIAL} header is required`);
      return;
    }
    parameters.unshift({ name: SERIAL, in: 'header', required: true, description: '微信支付公钥ID/平台证书序列号', schema: { type: 'string' } });
    this.schemas.note(sink, place, 'added', `the request carries encrypted fields (format base64) but the description declares no ${SERIAL} header: added, required`);
  }

  private hasEncrypted(s: Json, seen: Set<string>): boolean {
    if (Array.isArray(s)) return s.some((x) => this.hasEncrypted(x, seen));
    if (!isObject(s)) return false;
    if (s[ENCRYPTION] !== undefined) return true;
    const ref = refOf(s);
    if (ref?.startsWith(SCHEMA_REF_PREFIX)) {
      const name = ref.slice(SCHEMA_REF_PREFIX.length);
      if (seen.has(name)) return false;
      seen.add(name);
      return this.hasEncrypted(this.schemas.component(name).schema, seen);
    }
    return Object.values(s).some((v) => this.hasEncrypted(v, seen));
  }
}
