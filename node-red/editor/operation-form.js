/*
 * The dialog of every vendor operation node, drawn from the catalogue the build writes beside it: resource and
 * operation selectors, one typedInput per parameter, server lists for references and contract forms loaded from
 * the server through the node's admin endpoints (relative URLs, so adminAuth's token goes with them).
 * The stored shape is node.parameters = { name: { v, vt } }; a form holds { field: { v, vt } } in v.
 */
window.BpmOperationForm = window.BpmOperationForm || (function () {
    'use strict';

    var CONTEXT_TYPES = ['msg', 'flow', 'global', 'env', 'jsonata'];
    var catalogues = {};

    function operationsOf(catalogue, resource) {
        return catalogue.operations.filter(function (operation) {
            return operation.resource === resource;
        });
    }

    function findOperation(catalogue, resource, name) {
        return operationsOf(catalogue, resource).filter(function (operation) {
            return operation.operation === name;
        })[0];
    }

    /** The entry the runtime assumes for a parameter the node does not set (the build writes it into the catalogue). */
    function defaultEntry(parameter) {
        return JSON.parse(JSON.stringify(parameter.defaultEntry));
    }

    /** Equal whatever the order of their keys: a flow written by hand or by another tool may order { v, vt } otherwise. */
    function same(a, b) {
        return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
    }

    function canonical(value) {
        if (Array.isArray(value)) {
            return value.map(canonical);
        }
        if (value === null || typeof value !== 'object') {
            return value;
        }
        var sorted = {};
        Object.keys(value).sort().forEach(function (key) {
            sorted[key] = canonical(value[key]);
        });
        return sorted;
    }

    function literalTypes(type, parameter) {
        switch (type) {
            case 'number':
                return ['num', 'str'];
            case 'boolean':
                return ['bool'];
            case 'json':
            case 'list':
            case 'object':
                return ['json'];
            case 'options':
                return [{
                    value: 'choice',
                    label: parameter.displayName,
                    icon: 'fa fa-list',
                    options: parameter.choices.map(function (choice) {
                        return { value: choice.value, label: choice.name };
                    })
                }];
            case 'file':
                return [];
            default:
                return ['str'];
        }
    }

    /** The config dialog's settings as typed now; a saved secret stays on the runtime (`__PWRD__`). */
    function unsavedServer(serverId) {
        var config = serverId && RED.nodes.node(serverId);
        if (!config) {
            return undefined;
        }
        var fields = {};
        Object.keys(config._def.defaults || {}).forEach(function (name) {
            if (name !== 'name') {
                fields[name] = config[name];
            }
        });
        var credentials = config.credentials || {};
        Object.keys(config._def.credentials || {}).forEach(function (name) {
            var value = credentials[name];
            var secret = config._def.credentials[name].type === 'password';
            fields[name] = secret && (value === undefined || value === '__PWRD__') ? '__PWRD__' : value;
        });
        return fields;
    }

    function post(node, path, body, done) {
        var serverId = $('#node-input-server').val();
        body.server = serverId;
        body.unsaved = unsavedServer(serverId);
        $.ajax({ url: node.type + '/' + path, type: 'POST', contentType: 'application/json', data: JSON.stringify(body), dataType: 'json' })
            .done(function (answer) {
                done(undefined, answer);
            })
            .fail(function (xhr) {
                var answer = xhr.responseJSON || {};
                done(answer.error || (xhr.status === 401 || xhr.status === 403 ? node._('bpm-operation.errors.permission') : node._('bpm-operation.errors.unreachable')));
            });
    }

    function row(label, required) {
        var line = $('<div class="form-row bpm-operation-parameter"></div>');
        $('<label></label>').text(label + (required ? ' *' : '')).css({ width: '140px', verticalAlign: 'top' }).appendTo(line);
        return line;
    }

    /** The values a list depends on, as typed (a value from msg or context is unknown here: left out, and the runtime says which is missing). */
    function dependencyValues(parameter, parameters) {
        var values = {};
        (parameter.listDependsOn || []).forEach(function (name) {
            var source = parameters[name];
            if (source && source.typedInput('type') === 'str') {
                values[name] = source.typedInput('value');
            }
        });
        return values;
    }

    /** A server list under a reference input: filled on demand, a click puts the id in the input. */
    function pickerFor(node, parameter, input, line, parameters) {
        var button = $('<button type="button" class="red-ui-button bpm-operation-pick" style="margin-left: 4px"><i class="fa fa-search"></i></button>')
            .attr('title', node._('bpm-operation.label.pick'))
            .attr('data-parameter', parameter.name)
            .appendTo(line);
        var search = $('<input type="text" class="bpm-operation-filter" style="display: none; width: calc(100% - 150px); margin: 4px 0 0 144px">')
            .attr('placeholder', node._('bpm-operation.label.filter'))
            .appendTo(line);
        var list = $('<select size="6" class="bpm-operation-options" style="display: none; width: calc(100% - 150px); margin: 4px 0 0 144px"></select>').appendTo(line);
        var message = $('<div class="form-tips bpm-operation-message" style="display: none; margin-left: 144px"></div>').appendTo(line);
        var pending;
        function load(page) {
            post(node, 'list', { list: parameter.list, filter: search.val(), page: page, values: dependencyValues(parameter, parameters) }, function (error, answer) {
                if (error) {
                    list.hide();
                    message.text(error).show();
                    return;
                }
                message.hide();
                if (!page) {
                    list.empty();
                }
                answer.options.forEach(function (option) {
                    $('<option></option>').val(option.value).text(option.name).attr('title', option.description || '').appendTo(list);
                });
                if (answer.next) {
                    $('<option class="bpm-operation-more"></option>').val('').attr('data-next', answer.next).text('…').appendTo(list);
                }
                search.show();
                list.show();
            });
        }
        // Filtered on the server as the user types, a moment after the last key.
        search.on('input', function () {
            clearTimeout(pending);
            pending = setTimeout(load, 300);
        });
        button.on('click', function () {
            load();
        });
        list.on('change', function () {
            var chosen = list.find('option:selected');
            if (chosen.attr('data-next')) {
                chosen.remove();
                load(chosen.attr('data-next'));
                return;
            }
            input.typedInput('type', 'str');
            input.typedInput('value', chosen.val());
            list.hide();
            search.hide();
        });
    }

    function typedInput(line, entry, types, parameter) {
        var input = $('<input type="text" style="width: calc(100% - 190px)">').appendTo(line);
        var shownType = entry.vt === 'str' && parameter && parameter.type === 'options' ? 'choice' : entry.vt;
        input.typedInput({ default: types[0].value || types[0], types: types });
        input.typedInput('type', shownType);
        input.typedInput('value', entry.v);
        return input;
    }

    function readTyped(input) {
        var type = input.typedInput('type');
        return { v: input.typedInput('value'), vt: type === 'choice' ? 'str' : type };
    }

    /** The rows of a form: the fields stored, then those the server's contract adds. */
    function formRows(node, container, stored, fields) {
        var known = {};
        container.find('.bpm-operation-field').each(function () {
            known[$(this).attr('data-field')] = true;
        });
        var add = function (name, entry, field) {
            if (known[name]) {
                return;
            }
            known[name] = true;
            var line = row(name, field && field.required).addClass('bpm-operation-field').attr('data-field', name).css('margin-left', '20px');
            if (field && field.description) {
                line.attr('title', field.description);
            }
            var literal = field ? literalTypes(field.type === 'date' || field.type === 'dateTime' ? 'string' : field.type) : ['str', 'num', 'bool', 'json'];
            var fallback = field && field.type === 'file' ? { v: 'payload', vt: 'msg' } : { v: '', vt: literal.length ? literal[0] : 'msg' };
            line.data('input', typedInput(line, entry || fallback, literal.concat(CONTEXT_TYPES)));
            line.appendTo(container);
        };
        Object.keys(stored || {}).forEach(function (name) {
            add(name, stored[name], (fields || []).filter(function (f) { return f.id === name; })[0]);
        });
        (fields || []).forEach(function (field) {
            add(field.id, undefined, field);
        });
    }

    function formParameter(node, parameter, entry, line, parameters) {
        var container = $('<div class="bpm-operation-form"></div>');
        var input = typedInput(line, entry, [{ value: 'form', label: node._('bpm-operation.label.fields'), hasValue: false }, 'msg', 'json', 'jsonata', 'flow', 'global'], parameter);
        var load = $('<button type="button" class="red-ui-button bpm-operation-load" style="margin-left: 4px"><i class="fa fa-refresh"></i></button>')
            .attr('title', node._('bpm-operation.label.loadFields'))
            .appendTo(line);
        var message = $('<div class="form-tips bpm-operation-message" style="display: none; margin-left: 144px"></div>').appendTo(line);
        line.after(container);
        formRows(node, container, entry.vt === 'form' ? entry.v : {}, []);
        function toggle() {
            var isForm = input.typedInput('type') === 'form';
            container.toggle(isForm);
            load.toggle(isForm);
        }
        input.on('change', toggle);
        toggle();
        load.on('click', function () {
            var source = parameters[parameter.form.dependsOn];
            var id = source && source.typedInput('type') === 'str' ? source.typedInput('value') : '';
            post(node, 'form', { resource: node._bpmResource, operation: node._bpmOperation, parameter: parameter.name, id: id }, function (error, answer) {
                if (error) {
                    message.text(error).show();
                    return;
                }
                message.hide();
                // The loaded contract replaces the rows: values typed for its inputs stay, another contract's rows go.
                var kept = {};
                container.find('.bpm-operation-field').each(function () {
                    kept[$(this).attr('data-field')] = readTyped($(this).data('input'));
                });
                var fieldValues = {};
                answer.fields.forEach(function (field) {
                    if (kept[field.id]) {
                        fieldValues[field.id] = kept[field.id];
                    }
                });
                container.empty();
                formRows(node, container, fieldValues, answer.fields);
            });
        });
        input.data('form', container);
        return input;
    }

    function drawParameters(node, catalogue) {
        var area = $('#node-bpm-operation-parameters').empty();
        var operation = findOperation(catalogue, node._bpmResource, node._bpmOperation);
        var inputs = {};
        if (!operation) {
            return inputs;
        }
        $('#node-bpm-operation-description').text(operation.description);
        var stored = node.parameters || {};
        operation.parameters.forEach(function (parameter) {
            var entry = stored[parameter.name] || defaultEntry(parameter);
            var line = row(parameter.displayName, parameter.required).attr('title', parameter.description).attr('data-parameter', parameter.name).appendTo(area);
            if (parameter.type === 'form') {
                inputs[parameter.name] = formParameter(node, parameter, entry, line, inputs);
                return;
            }
            var types = literalTypes(parameter.type, parameter).concat(CONTEXT_TYPES);
            inputs[parameter.name] = typedInput(line, entry, types, parameter);
            if (parameter.type === 'reference' && parameter.list) {
                pickerFor(node, parameter, inputs[parameter.name], line, inputs);
            }
        });
        $('.bpm-operation-paging').toggle(operation.paging);
        $('.bpm-operation-simplify').toggle(operation.simplify);
        $('#node-input-returnAll').trigger('change');
        return inputs;
    }

    function fillSelect(select, options, chosen) {
        select.empty();
        options.forEach(function (option) {
            $('<option></option>').val(option.value).text(option.name).appendTo(select);
        });
        select.val(chosen);
    }

    return {
        catalogues: catalogues,

        label: function (catalogue, node) {
            var operation = findOperation(catalogue, node.resource, node.operation);
            return operation ? operation.name + ' · ' + operation.resource : '';
        },

        prepare: function (node, catalogue) {
            node._bpmResource = node.resource;
            node._bpmOperation = node.operation;
            var resource = $('#node-input-resource');
            var operation = $('#node-input-operation');
            fillSelect(resource, catalogue.resources, node.resource);
            fillSelect(operation, operationsOf(catalogue, node.resource).map(function (o) { return { value: o.operation, name: o.name }; }), node.operation);
            node._bpmInputs = drawParameters(node, catalogue);
            // Node-RED triggers change on every input once the dialog is drawn: only a new resource resets the operation.
            resource.on('change', function () {
                if (resource.val() === node._bpmResource) {
                    return;
                }
                var operations = operationsOf(catalogue, resource.val());
                node._bpmResource = resource.val();
                fillSelect(operation, operations.map(function (o) { return { value: o.operation, name: o.name }; }), operations.length ? operations[0].operation : '');
                operation.trigger('change');
            });
            operation.on('change', function () {
                if (node._bpmResource === resource.val() && node._bpmOperation === operation.val()) {
                    return;
                }
                node._bpmResource = resource.val();
                node._bpmOperation = operation.val();
                node._bpmInputs = drawParameters(node, catalogue);
            });
            $('#node-input-returnAll').on('change', function () {
                $('#node-row-limit').toggle(!$(this).is(':checked') && $('.bpm-operation-paging').is(':visible'));
            }).trigger('change');
        },

        /** Writes what the dialog shows; an untouched parameter the node did not set stays unset, so Done changes nothing. */
        save: function (node, catalogue) {
            var operation = findOperation(catalogue, $('#node-input-resource').val(), $('#node-input-operation').val());
            var before = node.parameters || {};
            var after = $.extend(true, {}, before);
            if (operation) {
                operation.parameters.forEach(function (parameter) {
                    var input = node._bpmInputs[parameter.name];
                    if (!input) {
                        return;
                    }
                    var entry = readTyped(input);
                    if (entry.vt === 'form') {
                        entry.v = {};
                        input.data('form').find('.bpm-operation-field').each(function () {
                            var field = readTyped($(this).data('input'));
                            var name = $(this).attr('data-field');
                            var kept = before[parameter.name] && before[parameter.name].v && before[parameter.name].v[name];
                            if (field.v !== '' || kept) {
                                entry.v[name] = field;
                            }
                        });
                    }
                    if (before[parameter.name] === undefined && same(entry, defaultEntry(parameter))) {
                        return;
                    }
                    after[parameter.name] = entry;
                });
            }
            if (!same(after, before)) {
                node.parameters = after;
            }
            delete node._bpmInputs;
            delete node._bpmResource;
            delete node._bpmOperation;
        }
    };
})();
