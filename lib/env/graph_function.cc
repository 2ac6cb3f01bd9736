// deeper's addition to tfjs-node's binding: registerGraphFunction(), which
// builds a TensorFlow graph from a JS description, turns it into a function
// (TF_GraphToFunction) and registers it in the binding's own eager context
// (TFE_ContextAddFunction). The binding's executeOp then calls it by name, as
// one op: a whole training step in one call instead of some 650.
//
// lib/env/native_binding.ts appends this file to binding/tfjs_binding.cc
// before building (it uses that file's GetTFJSBackend) and adds the export.
//
// JS call:
//   registerGraphFunction(name, nodes, inputs, outputs)
//   nodes:   [{op: string, attrs: Attr[], inputs: number[], list: number}]
//            inputs are flat pairs (node index, output index) of earlier
//            nodes; the first `list` of them form the op's first argument as
//            one list (AddN, ConcatV2, Pack), the rest are single arguments.
//            Attr is the binding's own {name, type, value} (as for executeOp).
//   inputs:  indices of the Placeholder nodes that become the arguments.
//   outputs: flat pairs (node index, output index) that become the results.

#include <string>
#include <vector>

namespace tfnodejs {

static bool GraphFnFail(napi_env env, const std::string &msg) {
  napi_throw_error(env, nullptr, ("registerGraphFunction: " + msg).c_str());
  return false;
}

static bool GetInt32Array(napi_env env, napi_value arr,
                          std::vector<int32_t> *out) {
  uint32_t n;
  if (napi_get_array_length(env, arr, &n) != napi_ok) {
    return GraphFnFail(env, "expected an array of numbers");
  }
  out->resize(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    if (napi_get_element(env, arr, i, &e) != napi_ok ||
        napi_get_value_int32(env, e, &(*out)[i]) != napi_ok) {
      return GraphFnFail(env, "expected an array of numbers");
    }
  }
  return true;
}

// Sets one attribute on a graph operation: the same {name, type, value}
// forms as the binding's AssignOpAttr gives an eager op.
static bool SetGraphAttr(napi_env env, TF_OperationDescription *desc,
                         napi_value attr) {
  napi_value v;
  std::string name;
  if (napi_get_named_property(env, attr, "name", &v) != napi_ok ||
      GetStringParam(env, v, name) != napi_ok) {
    return GraphFnFail(env, "an attribute without a name");
  }
  int32_t type;
  if (napi_get_named_property(env, attr, "type", &v) != napi_ok ||
      napi_get_value_int32(env, v, &type) != napi_ok) {
    return GraphFnFail(env, "attribute " + name + " without a type");
  }
  napi_value value;
  napi_get_named_property(env, attr, "value", &value);
  bool is_array = false;
  napi_is_array(env, value, &is_array);
  uint32_t n = 0;
  if (is_array) napi_get_array_length(env, value, &n);
  auto element = [&](uint32_t i) {
    napi_value e;
    napi_get_element(env, value, i, &e);
    return e;
  };
  switch (type) {
    case TF_ATTR_STRING: {
      std::string s;
      if (GetStringParam(env, value, s) != napi_ok) {
        return GraphFnFail(env, "attribute " + name + " is not a string");
      }
      TF_SetAttrString(desc, name.c_str(), s.data(), s.size());
      return true;
    }
    case TF_ATTR_INT: {
      if (is_array) {
        std::vector<int64_t> xs(n);
        for (uint32_t i = 0; i < n; i++) {
          napi_get_value_int64(env, element(i), &xs[i]);
        }
        TF_SetAttrIntList(desc, name.c_str(), xs.data(), n);
      } else {
        int64_t x;
        napi_get_value_int64(env, value, &x);
        TF_SetAttrInt(desc, name.c_str(), x);
      }
      return true;
    }
    case TF_ATTR_FLOAT: {
      if (is_array) {
        std::vector<float> xs(n);
        for (uint32_t i = 0; i < n; i++) {
          double d;
          napi_get_value_double(env, element(i), &d);
          xs[i] = static_cast<float>(d);
        }
        TF_SetAttrFloatList(desc, name.c_str(), xs.data(), n);
      } else {
        double d;
        napi_get_value_double(env, value, &d);
        TF_SetAttrFloat(desc, name.c_str(), static_cast<float>(d));
      }
      return true;
    }
    case TF_ATTR_BOOL: {
      if (is_array) {
        std::vector<unsigned char> xs(n);
        for (uint32_t i = 0; i < n; i++) {
          bool b;
          napi_get_value_bool(env, element(i), &b);
          xs[i] = b ? 1 : 0;
        }
        TF_SetAttrBoolList(desc, name.c_str(), xs.data(), n);
      } else {
        bool b;
        napi_get_value_bool(env, value, &b);
        TF_SetAttrBool(desc, name.c_str(), b ? 1 : 0);
      }
      return true;
    }
    case TF_ATTR_TYPE: {
      int32_t t;
      napi_get_value_int32(env, value, &t);
      TF_SetAttrType(desc, name.c_str(), static_cast<TF_DataType>(t));
      return true;
    }
    case TF_ATTR_SHAPE: {
      std::vector<int64_t> dims(n);
      for (uint32_t i = 0; i < n; i++) {
        napi_get_value_int64(env, element(i), &dims[i]);
      }
      TF_SetAttrShape(desc, name.c_str(), dims.data(), n);
      return true;
    }
    default:
      return GraphFnFail(env, "attribute " + name + " has an unknown type " +
                                  std::to_string(type));
  }
}

static napi_value RegisterGraphFunction(napi_env env,
                                        napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  if (napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) != napi_ok ||
      argc < 4) {
    GraphFnFail(env, "expects (name, nodes, inputs, outputs)");
    return nullptr;
  }
  TFJSBackend *const backend = GetTFJSBackend(env);
  if (!backend) return nullptr;
  std::string fn_name;
  if (GetStringParam(env, args[0], fn_name) != napi_ok) {
    GraphFnFail(env, "the name is not a string");
    return nullptr;
  }
  uint32_t num_nodes;
  if (napi_get_array_length(env, args[1], &num_nodes) != napi_ok) {
    GraphFnFail(env, "nodes is not an array");
    return nullptr;
  }

  TF_Graph *graph = TF_NewGraph();
  TF_Status *status = TF_NewStatus();
  std::vector<TF_Operation *> ops;
  ops.reserve(num_nodes);
  bool ok = true;
  for (uint32_t i = 0; ok && i < num_nodes; i++) {
    napi_value node, v;
    napi_get_element(env, args[1], i, &node);
    std::string op_type;
    napi_get_named_property(env, node, "op", &v);
    if (GetStringParam(env, v, op_type) != napi_ok) {
      ok = GraphFnFail(env, "node " + std::to_string(i) + " has no op");
      break;
    }
    std::vector<int32_t> in;
    napi_get_named_property(env, node, "inputs", &v);
    if (!GetInt32Array(env, v, &in)) {
      ok = false;
      break;
    }
    int32_t list_length = 0;
    napi_get_named_property(env, node, "list", &v);
    napi_get_value_int32(env, v, &list_length);

    const std::string node_name = "n" + std::to_string(i);
    TF_OperationDescription *desc =
        TF_NewOperation(graph, op_type.c_str(), node_name.c_str());
    std::vector<TF_Output> outs;
    for (size_t k = 0; k + 1 < in.size(); k += 2) {
      if (in[k] < 0 || static_cast<size_t>(in[k]) >= ops.size()) {
        ok = GraphFnFail(env, "node " + std::to_string(i) +
                                  " reads a node that does not precede it");
        break;
      }
      outs.push_back(TF_Output{ops[in[k]], in[k + 1]});
    }
    if (ok && list_length > static_cast<int32_t>(outs.size())) {
      ok = GraphFnFail(env, "node " + std::to_string(i) +
                                "'s list is longer than its inputs");
    }
    if (ok) {
      if (list_length > 0) TF_AddInputList(desc, outs.data(), list_length);
      for (size_t k = list_length; k < outs.size(); k++) {
        TF_AddInput(desc, outs[k]);
      }
      napi_value attrs;
      napi_get_named_property(env, node, "attrs", &attrs);
      uint32_t num_attrs = 0;
      napi_get_array_length(env, attrs, &num_attrs);
      for (uint32_t a = 0; ok && a < num_attrs; a++) {
        napi_value attr;
        napi_get_element(env, attrs, a, &attr);
        ok = SetGraphAttr(env, desc, attr);
      }
    }
    // A description must be finished even on failure, or the graph leaks it.
    TF_Operation *op = TF_FinishOperation(desc, status);
    if (ok && TF_GetCode(status) != TF_OK) {
      ok = GraphFnFail(env, "node " + std::to_string(i) + " (" + op_type +
                                "): " + TF_Message(status));
    }
    ops.push_back(op);
  }

  std::vector<int32_t> in_nodes, out_pairs;
  if (ok) ok = GetInt32Array(env, args[2], &in_nodes);
  if (ok) ok = GetInt32Array(env, args[3], &out_pairs);
  std::vector<TF_Output> fn_inputs, fn_outputs;
  for (size_t k = 0; ok && k < in_nodes.size(); k++) {
    if (in_nodes[k] < 0 || static_cast<size_t>(in_nodes[k]) >= ops.size()) {
      ok = GraphFnFail(env, "an input names no node");
    } else {
      fn_inputs.push_back(TF_Output{ops[in_nodes[k]], 0});
    }
  }
  for (size_t k = 0; ok && k + 1 < out_pairs.size(); k += 2) {
    if (out_pairs[k] < 0 || static_cast<size_t>(out_pairs[k]) >= ops.size()) {
      ok = GraphFnFail(env, "an output names no node");
    } else {
      fn_outputs.push_back(TF_Output{ops[out_pairs[k]], out_pairs[k + 1]});
    }
  }
  if (ok) {
    TF_Function *fn = TF_GraphToFunction(
        graph, fn_name.c_str(), /*append_hash_to_fn_name=*/0,
        /*num_opers=*/-1, nullptr, static_cast<int>(fn_inputs.size()),
        fn_inputs.data(), static_cast<int>(fn_outputs.size()),
        fn_outputs.data(), nullptr, nullptr, "deeper: one training step",
        status);
    if (TF_GetCode(status) != TF_OK) {
      ok = GraphFnFail(env, std::string("TF_GraphToFunction: ") +
                                TF_Message(status));
    } else {
      TFE_ContextAddFunction(backend->Context(), fn, status);
      if (TF_GetCode(status) != TF_OK) {
        ok = GraphFnFail(env, std::string("TFE_ContextAddFunction: ") +
                                  TF_Message(status));
      }
      TF_DeleteFunction(fn);
    }
  }
  TF_DeleteStatus(status);
  TF_DeleteGraph(graph);
  if (!ok) return nullptr;
  napi_value result;
  napi_get_boolean(env, true, &result);
  return result;
}

}  // namespace tfnodejs
