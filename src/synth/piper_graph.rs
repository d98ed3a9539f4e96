//! A faster graph for Piper voices, in two steps around ONNX Runtime's optimizer.
//!
//! Before: a VITS decoder is a stack of 1-D convolutions, which ONNX Runtime computes through
//! im2col and a matrix product. Its blocked NCHWc kernels, which compute a convolution
//! directly, take 2-D convolutions only. So each 1-D `Conv` and `ConvTranspose` with constant
//! weights becomes the same convolution over a height of one, and the elementwise operators
//! between them work on those 4-D tensors ([`convolutions_as_2d`]); upsamplings become plain
//! convolutions, one output channel per phase ([`Polyphase`]). The numbers are the same
//! up to float rounding (the largest difference on en_US-joe-medium is 6e-6). On one thread,
//! AVX-512, a segment takes 15% less time: convolutions 240 -> 141 ms, plus 37 ms of layout
//! changes around them.
//!
//! After: the optimizer leaves most of those layout changes, which the saved graph loses
//! ([`blocked_layout_kept`]): about 11% less time per narration on 2 cores.

use std::collections::{HashMap, HashSet};

use onnx_protobuf::{attribute_proto::AttributeType, tensor_proto::DataLocation, AttributeProto, GraphProto, Message, ModelProto, NodeProto, TensorProto};

/// The rewrite's version; part of the key of cached optimized graphs.
pub const VERSION: &str = "conv2d-3";

/// Names of the tensors the rewrite adds start with this.
const PREFIX: &str = "readcast.conv2d";

/// `model` (the bytes of an .onnx file) with its 1-D convolutions as 2-D ones, or `None`
/// when it has none that qualify or is not a model this rewrite can read; ONNX Runtime then
/// loads the file as it is, and reports any error in it.
pub fn convolutions_as_2d(model: &[u8]) -> Option<Vec<u8>> {
    let mut model = ModelProto::parse_from_bytes(model).ok()?;
    let opset = model.opset_import.iter().filter(|set| set.domain.is_empty() || set.domain == "ai.onnx").map(|set| set.version).max()?;
    let graph = model.graph.as_mut()?;
    // Tensors stored beside the model are found relative to its path, which bytes lack.
    if graph.initializer.iter().any(|tensor| tensor.data_location.enum_value() == Ok(DataLocation::EXTERNAL)) {
        return None;
    }
    if !lift(graph, opset) {
        return None;
    }
    model.write_to_bytes().ok()
}

/// Rewrites the convolutions of `graph` in place; whether it changed anything.
fn lift(graph: &mut GraphProto, opset: i64) -> bool {
    // A weight may take the 2-D shape only if nothing else reads it as 3-D.
    let mut readers: HashMap<&str, usize> = HashMap::new();
    count_readers(graph, &mut readers);
    let overridable: Vec<&str> = graph.input.iter().map(|input| input.name.as_str()).collect();
    let weights: HashMap<&str, &TensorProto> = graph.initializer.iter().map(|tensor| (tensor.name.as_str(), tensor)).collect();
    let mut conv_readers: HashMap<&str, usize> = HashMap::new();
    for node in graph.node.iter().filter(|node| is_conv(node)) {
        *conv_readers.entry(node.input[1].as_str()).or_default() += 1;
    }
    let liftable = |node: &NodeProto| -> bool {
        if !is_conv(node) {
            return false;
        }
        let weight = node.input[1].as_str();
        weights.get(weight).is_some_and(|tensor| tensor.dims.len() == 3)
            && readers.get(weight) == conv_readers.get(weight)
            && !overridable.contains(&weight)
            && node.attribute.iter().all(|attribute| lifted_attribute(attribute).is_some())
    };
    let lifted: Vec<bool> = graph.node.iter().map(liftable).collect();
    if !lifted.contains(&true) {
        return false;
    }
    // Upsampling convolutions whose weights nothing else reads become polyphase ones.
    let phases: Vec<Option<Polyphase>> = graph
        .node
        .iter()
        .zip(&lifted)
        .map(|(node, &lift)| {
            let sole = |name: &String| readers.get(name.as_str()) == Some(&1) && !overridable.contains(&name.as_str());
            let bias = node.input.get(2).filter(|name| !name.is_empty());
            let movable = lift && node.op_type == "ConvTranspose" && opset >= 5 && sole(&node.input[1]) && bias.is_none_or(sole);
            movable.then(|| Polyphase::of(node, weights.get(node.input[1].as_str())?, bias.and_then(|name| weights.get(name.as_str()).copied()))).flatten()
        })
        .collect();
    // Between lifted convolutions, elementwise operators work on the 4-D tensors too, so that
    // ONNX Runtime's blocked layout can run through them ([`blocked_layout_kept`]). Each
    // 4-D tensor gets a new name; its 3-D name comes back through a `Squeeze` where a node
    // reads it as 3-D.
    let scalars = scalar_constants(graph);
    let mut four_d: HashMap<String, String> = HashMap::new();
    let mut in_4d = lifted.clone();
    for (index, node) in graph.node.iter().enumerate() {
        in_4d[index] |= elementwise_on(node, |name| four_d.contains_key(name), |name| scalars.contains(name));
        if in_4d[index] {
            four_d.insert(node.output[0].clone(), format!("{PREFIX}.{index}.out"));
        }
    }
    // Read as 3-D: by other nodes, by a lifted convolution as weight or bias, by a subgraph, or
    // as the graph's output.
    let mut read_3d: HashMap<&str, usize> = HashMap::new();
    for (node, &four) in graph.node.iter().zip(&in_4d) {
        let inputs = if four { node.input.get(1..).unwrap_or_default() } else { &node.input[..] };
        for input in inputs {
            *read_3d.entry(input.as_str()).or_default() += 1;
        }
        for attribute in &node.attribute {
            for subgraph in attribute.g.as_ref().into_iter().chain(&attribute.graphs) {
                count_readers(subgraph, &mut read_3d);
            }
        }
    }
    let read_3d: HashSet<String> = graph.output.iter().map(|output| output.name.as_str()).chain(read_3d.into_keys()).filter(|name| four_d.contains_key(*name)).map(str::to_string).collect();
    let lifted_weights: Vec<String> = graph.node.iter().zip(&lifted).zip(&phases).filter(|((_, &lift), phases)| lift && phases.is_none()).map(|((node, _), _)| node.input[1].clone()).collect();
    let replaced: Vec<String> = graph.node.iter().zip(&phases).filter(|(_, phases)| phases.is_some()).flat_map(|(node, _)| node.input[1..].to_vec()).collect();
    graph.initializer.retain(|tensor| !replaced.contains(&tensor.name));
    for tensor in graph.initializer.iter_mut().filter(|tensor| lifted_weights.contains(&tensor.name)) {
        tensor.dims.insert(2, 1);
    }
    let axes = format!("{PREFIX}.axes");
    if opset >= 13 {
        graph.initializer.push(TensorProto { name: axes.clone(), dims: vec![1], data_type: 7, int64_data: vec![2], ..Default::default() });
    }
    let old_nodes = std::mem::take(&mut graph.node);
    for ((index, mut node), phases) in old_nodes.into_iter().enumerate().zip(phases) {
        if !in_4d[index] {
            graph.node.push(node);
            continue;
        }
        if lifted[index] {
            node.input[0] = match four_d.get(&node.input[0]) {
                Some(name) => name.clone(),
                None => {
                    let input = format!("{PREFIX}.{index}.in");
                    graph.node.push(reshape("Unsqueeze", &node.input[0], &input, &axes, opset));
                    input
                }
            };
            node.attribute = node.attribute.iter().map(|attribute| lifted_attribute(attribute).expect("checked above")).collect();
        } else {
            for input in &mut node.input {
                if let Some(name) = four_d.get(input) {
                    input.clone_from(name);
                }
            }
        }
        let name = four_d[&node.output[0]].clone();
        let output = std::mem::replace(&mut node.output[0], name);
        let squeeze = read_3d.contains(&output).then(|| reshape("Squeeze", &node.output[0], &output, &axes, opset));
        match phases {
            Some(phases) => {
                let nodes = phases.nodes(&node, &format!("{PREFIX}.{index}"), &mut graph.initializer);
                graph.node.extend(nodes);
            }
            None => graph.node.push(node),
        }
        graph.node.extend(squeeze);
    }
    true
}

/// A transposed convolution that upsamples by its stride `s` (kernel `2p + s`, padding `p`
/// at both ends, `p <= s`) as a plain one: output sample `s * m + r` comes from inputs
/// `m - 1`, `m` and `m + 1` only, so a 3-tap convolution with `s` output channels per channel
/// (one per phase `r`) computes every phase, and the phases are interleaved. ONNX Runtime runs
/// the transposed convolution as a matrix product into a buffer of `kernel` columns per input
/// sample and adds that buffer up; the plain one runs blocked. On en_US-joe-medium: 4% less
/// time per sentence, the same audio to 2.4e-7.
struct Polyphase {
    stride: i64,
    out_channels: i64,
    in_channels: i64,
    /// `[s * out, in, 1, 3]`, channel `r * out + o` for phase `r` of output channel `o`.
    weight: Vec<f32>,
    bias: Option<Vec<f32>>,
}

impl Polyphase {
    /// The polyphase form of a 1-D `ConvTranspose` with these weight and bias tensors, or
    /// `None` when it is not a plain upsampling.
    fn of(node: &NodeProto, weight: &TensorProto, bias: Option<&TensorProto>) -> Option<Polyphase> {
        let &[in_channels, out_channels, kernel] = weight.dims.as_slice() else { return None };
        let (mut stride, mut pad) = (1, 0);
        for attribute in &node.attribute {
            match (attribute.name.as_str(), attribute.ints.as_slice()) {
                ("strides", &[value]) => stride = value,
                ("pads", &[begin, end]) if begin == end => pad = begin,
                ("kernel_shape", &[value]) if value == kernel => {}
                ("dilations", &[1]) | ("output_padding", &[0]) => {}
                ("group", _) if attribute.i == 1 => {}
                ("auto_pad", _) if attribute.s == b"NOTSET" => {}
                _ => return None,
            }
        }
        if stride < 2 || pad > stride || kernel != 2 * pad + stride {
            return None;
        }
        let taps = floats(weight)?;
        let bias = match bias {
            Some(tensor) if tensor.dims == [out_channels] => Some(floats(tensor)?),
            Some(_) => return None,
            None => None,
        };
        let (channels, outputs) = (in_channels as usize, out_channels as usize);
        let mut phased = vec![0.0; stride as usize * outputs * channels * 3];
        for phase in 0..stride {
            // Tap u reads input m + u - 1 through kernel position s (1 - u) + r + p.
            for u in 0..3i64 {
                let position = stride * (1 - u) + phase + pad;
                if !(0..kernel).contains(&position) {
                    continue;
                }
                for output in 0..outputs {
                    for input in 0..channels {
                        let row = phase as usize * outputs + output;
                        phased[(row * channels + input) * 3 + u as usize] = taps[(input * outputs + output) * kernel as usize + position as usize];
                    }
                }
            }
        }
        Some(Polyphase { stride, out_channels, in_channels, weight: phased, bias: bias.map(|bias| bias.repeat(stride as usize)) })
    }

    /// The nodes that replace `node` (its input already 4-D, its output the 4-D name), with
    /// their constants added to `initializers` under names starting with `prefix`.
    fn nodes(self, node: &NodeProto, prefix: &str, initializers: &mut Vec<TensorProto>) -> Vec<NodeProto> {
        let Polyphase { stride, out_channels, in_channels, weight, bias } = self;
        let float = |name: String, dims: Vec<i64>, values: Vec<f32>| TensorProto { name, dims, data_type: 1, raw_data: values.iter().flat_map(|v| v.to_le_bytes()).collect(), ..Default::default() };
        let shape = |name: String, values: Vec<i64>| TensorProto { name, dims: vec![values.len() as i64], data_type: 7, int64_data: values, ..Default::default() };
        let ints = |name: &str, values: Vec<i64>| AttributeProto { name: name.into(), type_: AttributeType::INTS.into(), ints: values, ..Default::default() };
        let name = |part: &str| format!("{prefix}.{part}");
        let mut inputs = vec![node.input[0].clone(), name("weight")];
        initializers.push(float(name("weight"), vec![stride * out_channels, in_channels, 1, 3], weight));
        if let Some(bias) = bias {
            inputs.push(name("bias"));
            initializers.push(float(name("bias"), vec![stride * out_channels], bias));
        }
        // [1, s * out, 1, T] -> [1, s, out, T] -> [1, out, T, s] -> [1, out, 1, s * T]
        initializers.push(shape(name("phases"), vec![0, stride, out_channels, -1]));
        initializers.push(shape(name("interleaved"), vec![0, out_channels, 1, -1]));
        let conv = NodeProto {
            name: node.name.clone(),
            op_type: "Conv".into(),
            input: inputs,
            output: vec![name("conv")],
            attribute: vec![ints("kernel_shape", vec![1, 3]), ints("pads", vec![0, 1, 0, 1])],
            ..Default::default()
        };
        let plain = |op_type: &str, input: Vec<String>, output: String| NodeProto { op_type: op_type.into(), input, output: vec![output], ..Default::default() };
        let mut transpose = plain("Transpose", vec![name("split")], name("transposed"));
        transpose.attribute.push(ints("perm", vec![0, 2, 3, 1]));
        vec![
            conv,
            plain("Reshape", vec![name("conv"), name("phases")], name("split")),
            transpose,
            plain("Reshape", vec![name("transposed"), name("interleaved")], node.output[0].clone()),
        ]
    }
}

/// The values of a float tensor stored in the model.
fn floats(tensor: &TensorProto) -> Option<Vec<f32>> {
    let values: Vec<f32> = if tensor.data_type != 1 {
        return None;
    } else if tensor.raw_data.is_empty() {
        tensor.float_data.clone()
    } else {
        tensor.raw_data.chunks_exact(4).map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])).collect()
    };
    (values.len() as i64 == tensor.dims.iter().product::<i64>()).then_some(values)
}

/// The names of the graph's one-value constants (initializers no input can override): an
/// elementwise operator with one keeps the layout of its other input.
fn scalar_constants(graph: &GraphProto) -> HashSet<&str> {
    let overridable: HashSet<&str> = graph.input.iter().map(|input| input.name.as_str()).collect();
    graph
        .initializer
        .iter()
        .filter(|tensor| tensor.dims.iter().product::<i64>() == 1 && !overridable.contains(tensor.name.as_str()))
        .map(|tensor| tensor.name.as_str())
        .collect()
}

/// Operators that work alike on a 3-D tensor and on the same tensor with a height of one.
const ELEMENTWISE: &[&str] = &["LeakyRelu", "Relu", "Tanh", "Sigmoid", "Add", "Sub", "Mul", "Div"];

/// Whether `node` is an elementwise operator whose tensor inputs are all `in_layout` (at least
/// one) and whose other inputs are `scalar`: its output can then stay in that layout too.
fn elementwise_on(node: &NodeProto, in_layout: impl Fn(&str) -> bool, scalar: impl Fn(&str) -> bool) -> bool {
    (node.domain.is_empty() || node.domain == "ai.onnx")
        && ELEMENTWISE.contains(&node.op_type.as_str())
        && node.output.len() == 1
        && node.input.iter().any(|input| in_layout(input))
        && node.input.iter().all(|input| in_layout(input) || scalar(input))
}

/// The domain of ONNX Runtime's blocked-layout (NCHWc) kernels, which its optimizer puts in
/// the graphs it saves.
const BLOCKED: &str = "com.microsoft.nchwc";

/// `optimized` (a graph as ONNX Runtime saves it after optimizing) with its elementwise
/// operators between blocked convolutions run on the blocked tensors, or `None` when there is
/// nothing to change. ONNX Runtime's optimizer changes a tensor back to the plain layout
/// before every operator it has no blocked kernel for, LeakyReLU among them, and a VITS
/// decoder runs one between almost every two convolutions. Elementwise operators give the
/// same numbers in either layout, since every channel keeps its own values; so the tensors
/// stay blocked from one upsampling to the next, and an addition after a convolution becomes
/// the convolution's `Sum` input. On en_US-joe-medium that removes 4 of 5 layout changes
/// (reorders 55 -> 12 ms of 350 for a long sentence, additions 40 -> 13 ms). The caller
/// checks that the new graph's audio is the old one's.
pub fn blocked_layout_kept(optimized: &[u8]) -> Option<Vec<u8>> {
    let mut model = ModelProto::parse_from_bytes(optimized).ok()?;
    let graph = model.graph.as_mut()?;
    // Subgraphs could read tensors whose layout changes here.
    if graph.node.iter().any(|node| node.attribute.iter().any(|attribute| attribute.g.is_some() || !attribute.graphs.is_empty())) {
        return None;
    }
    if !keep_blocked(graph) {
        return None;
    }
    model.write_to_bytes().ok()
}

/// Whether `node` is ONNX Runtime's `op_type` reorder between the plain and the blocked
/// channels-first layouts.
fn is_reorder(node: &NodeProto, op_type: &str) -> bool {
    node.domain == BLOCKED && node.op_type == op_type && int_attribute(node, "channels_last").unwrap_or(0) == 0
}

fn int_attribute(node: &NodeProto, name: &str) -> Option<i64> {
    node.attribute.iter().find(|attribute| attribute.name == name).map(|attribute| attribute.i)
}

fn reorder(op_type: &str, input: &str, output: &str, channels: Option<i64>) -> NodeProto {
    let int = |name: &str, value: i64| AttributeProto { name: name.into(), type_: AttributeType::INT.into(), i: value, ..Default::default() };
    let mut attribute = vec![int("channels_last", 0)];
    attribute.extend(channels.map(|channels| int("channels", channels)));
    NodeProto { op_type: op_type.into(), domain: BLOCKED.into(), input: vec![input.into()], output: vec![output.into()], attribute, ..Default::default() }
}

/// Rewrites `graph` in place for [`blocked_layout_kept`]; whether it changed anything.
fn keep_blocked(graph: &mut GraphProto) -> bool {
    let scalars: HashSet<String> = scalar_constants(graph).into_iter().map(str::to_string).collect();
    // Input channels of each blocked convolution, from its weight (output, input, ...).
    let weight_dims: HashMap<&str, &[i64]> = graph.initializer.iter().map(|tensor| (tensor.name.as_str(), tensor.dims.as_slice())).collect();
    let input_channels = |conv: &NodeProto| -> Option<i64> {
        let ungrouped = conv.domain == BLOCKED && conv.op_type == "Conv" && int_attribute(conv, "group").unwrap_or(1) == 1;
        ungrouped.then(|| weight_dims.get(conv.input.get(1)?.as_str())?.get(1).copied()).flatten()
    };
    let mut readers: HashMap<&str, Vec<&NodeProto>> = HashMap::new();
    for node in &graph.node {
        for input in &node.input {
            readers.entry(input.as_str()).or_default().push(node);
        }
    }
    // A plain tensor read only through reorders into convolutions: their input channels.
    let reordered_into_convolutions = |tensor: &str| -> Option<i64> {
        let reorders = readers.get(tensor)?;
        let mut channels = None;
        for reorder in reorders {
            if !is_reorder(reorder, "ReorderInput") {
                return None;
            }
            for conv in readers.get(reorder.output[0].as_str())? {
                let conv_channels = input_channels(conv)?;
                if channels.is_some_and(|channels| channels != conv_channels) {
                    return None;
                }
                channels = Some(conv_channels);
            }
        }
        channels
    };
    // Plain tensor -> its blocked twin and channel count.
    let mut blocked: HashMap<String, (String, i64)> = HashMap::new();
    for node in graph.node.iter().filter(|node| is_reorder(node, "ReorderOutput")) {
        if let Some(channels) = int_attribute(node, "channels") {
            blocked.insert(node.output[0].clone(), (node.input[0].clone(), channels));
        }
    }
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut nodes: Vec<NodeProto> = Vec::with_capacity(graph.node.len());
    let mut changed = false;
    for node in &graph.node {
        if is_reorder(node, "ReorderInput") {
            if let Some((twin, _)) = blocked.get(&node.input[0]) {
                renamed.insert(node.output[0].clone(), twin.clone());
                continue;
            }
        }
        let mut node = node.clone();
        for input in &mut node.input {
            if let Some(twin) = renamed.get(input) {
                input.clone_from(twin);
            }
        }
        // An activation whose output is only reordered into convolutions: reorder its input
        // instead, so that the activation runs blocked and the input is there for others.
        if node.input.len() == 1 && !blocked.contains_key(&node.input[0]) && elementwise_on(&node, |_| true, |_| false) {
            if let Some(channels) = reordered_into_convolutions(&node.output[0]) {
                let twin = format!("{}.{PREFIX}.blocked", node.input[0]);
                nodes.push(reorder("ReorderInput", &node.input[0], &twin, None));
                blocked.insert(node.input[0].clone(), (twin, channels));
            }
        }
        let channels: Vec<i64> = node.input.iter().filter_map(|input| blocked.get(input)).map(|(_, channels)| *channels).collect();
        // A blocked tensor may end in padding channels of zeros, which must not be divisors.
        let divides_by_tensor = node.op_type == "Div" && node.input.get(1).is_some_and(|divisor| blocked.contains_key(divisor));
        if elementwise_on(&node, |name| blocked.contains_key(name), |name| scalars.contains(name))
            && channels.windows(2).all(|pair| pair[0] == pair[1])
            && !divides_by_tensor
        {
            for input in &mut node.input {
                if let Some((twin, _)) = blocked.get(input) {
                    input.clone_from(twin);
                }
            }
            // Others may read the plain tensor; a reorder back gives it them (or goes below).
            let twin = format!("{}.{PREFIX}.blocked", node.output[0]);
            let plain = std::mem::replace(&mut node.output[0], twin.clone());
            let back = reorder("ReorderOutput", &twin, &plain, Some(channels[0]));
            blocked.insert(plain, (twin, channels[0]));
            nodes.push(node);
            nodes.push(back);
            changed = true;
            continue;
        }
        nodes.push(node);
    }
    if !changed {
        return false;
    }
    let outputs: Vec<String> = graph.output.iter().map(|output| output.name.clone()).collect();
    remove_unread(&mut nodes, &outputs);
    let twins: HashSet<&str> = blocked.values().map(|(twin, _)| twin.as_str()).collect();
    fuse_additions(&mut nodes, &outputs, &twins);
    graph.node = nodes;
    true
}

/// Drops nodes whose outputs nothing reads, until none is left.
fn remove_unread(nodes: &mut Vec<NodeProto>, outputs: &[String]) {
    loop {
        let read: HashSet<&str> = nodes.iter().flat_map(|node| &node.input).chain(outputs).map(String::as_str).collect();
        let keep: Vec<bool> = nodes.iter().map(|node| node.output.iter().any(|output| read.contains(output.as_str()))).collect();
        if keep.iter().all(|&keep| keep) {
            return;
        }
        let mut keep = keep.into_iter();
        nodes.retain(|_| keep.next().unwrap_or(true));
    }
}

/// Makes each `Add` of two `blocked` tensors, one of them a convolution's output that nothing
/// else reads, the convolution's `Sum` input, as ONNX Runtime does with the additions it sees.
/// The convolution moves to the addition's place, where both operands exist.
fn fuse_additions(nodes: &mut Vec<NodeProto>, outputs: &[String], blocked: &HashSet<&str>) {
    let producer: HashMap<&str, usize> = nodes.iter().enumerate().flat_map(|(index, node)| node.output.iter().map(move |output| (output.as_str(), index))).collect();
    let mut reads: HashMap<&str, usize> = HashMap::new();
    for input in nodes.iter().flat_map(|node| &node.input).chain(outputs) {
        *reads.entry(input.as_str()).or_default() += 1;
    }
    let fusable = |tensor: &str| -> Option<usize> {
        let index = *producer.get(tensor)?;
        let conv = &nodes[index];
        let free = conv.domain == BLOCKED && conv.op_type == "Conv" && conv.input.len() == 3 && int_attribute(conv, "activation").is_none();
        (free && reads.get(tensor) == Some(&1)).then_some(index)
    };
    // Addition index -> the convolution that takes its place.
    let mut fused: HashMap<usize, NodeProto> = HashMap::new();
    let mut moved = vec![false; nodes.len()];
    for (index, add) in nodes.iter().enumerate() {
        if !(add.domain.is_empty() && add.op_type == "Add" && add.input.len() == 2 && add.input.iter().all(|input| blocked.contains(input.as_str()))) {
            continue;
        }
        let Some((side, conv_index)) = add.input.iter().enumerate().find_map(|(side, input)| Some((side, fusable(input)?))) else {
            continue;
        };
        let mut conv = nodes[conv_index].clone();
        conv.input.push(add.input[1 - side].clone());
        conv.output[0].clone_from(&add.output[0]);
        fused.insert(index, conv);
        moved[conv_index] = true;
    }
    let old = std::mem::take(nodes);
    nodes.extend(old.into_iter().enumerate().filter(|(index, _)| !moved[*index]).map(|(index, node)| fused.remove(&index).unwrap_or(node)));
}

/// A `Conv` or `ConvTranspose` of the standard domain with a weight input.
fn is_conv(node: &NodeProto) -> bool {
    matches!(node.op_type.as_str(), "Conv" | "ConvTranspose") && (node.domain.is_empty() || node.domain == "ai.onnx") && node.input.len() >= 2 && !node.input[0].is_empty()
}

/// How many nodes read each tensor, subgraphs included.
fn count_readers<'g>(graph: &'g GraphProto, readers: &mut HashMap<&'g str, usize>) {
    for node in &graph.node {
        for input in &node.input {
            *readers.entry(input.as_str()).or_default() += 1;
        }
        for attribute in &node.attribute {
            for subgraph in attribute.g.as_ref().into_iter().chain(&attribute.graphs) {
                count_readers(subgraph, readers);
            }
        }
    }
}

/// A 1-D convolution attribute for a height of one, or `None` for one the rewrite does not
/// know or whose shape is not 1-D.
fn lifted_attribute(attribute: &AttributeProto) -> Option<AttributeProto> {
    let ints = |values: Vec<i64>| Some(AttributeProto { ints: values, ..attribute.clone() });
    match (attribute.name.as_str(), attribute.ints.as_slice()) {
        ("kernel_shape" | "strides" | "dilations" | "output_shape", &[value]) => ints(vec![1, value]),
        ("output_padding", &[value]) => ints(vec![0, value]),
        ("pads", &[begin, end]) => ints(vec![0, begin, 0, end]),
        ("auto_pad" | "group", _) => Some(attribute.clone()),
        _ => None,
    }
}

/// An `Unsqueeze` or `Squeeze` of axis 2: an input since opset 13, an attribute before.
fn reshape(op_type: &str, input: &str, output: &str, axes: &str, opset: i64) -> NodeProto {
    let mut node = NodeProto { op_type: op_type.to_string(), input: vec![input.to_string()], output: vec![output.to_string()], ..Default::default() };
    if opset >= 13 {
        node.input.push(axes.to_string());
    } else {
        node.attribute.push(AttributeProto { name: "axes".into(), type_: AttributeType::INTS.into(), ints: vec![2], ..Default::default() });
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use onnx_protobuf::{OperatorSetIdProto, ValueInfoProto};

    fn attribute(name: &str, ints: &[i64]) -> AttributeProto {
        AttributeProto { name: name.into(), type_: AttributeType::INTS.into(), ints: ints.to_vec(), ..Default::default() }
    }

    fn conv(op_type: &str, input: &str, weight: &str, output: &str, attributes: Vec<AttributeProto>) -> NodeProto {
        NodeProto { op_type: op_type.into(), input: vec![input.into(), weight.into()], output: vec![output.into()], attribute: attributes, ..Default::default() }
    }

    fn weight(name: &str, dims: &[i64]) -> TensorProto {
        TensorProto { name: name.into(), dims: dims.to_vec(), data_type: 1, float_data: vec![0.5; dims.iter().product::<i64>() as usize], ..Default::default() }
    }

    /// A model of `nodes`, the last one's output the graph's.
    fn model(nodes: Vec<NodeProto>, initializers: Vec<TensorProto>, opset: i64) -> Vec<u8> {
        let output = nodes.last().map(|node| ValueInfoProto { name: node.output[0].clone(), ..Default::default() });
        let graph = GraphProto { node: nodes, initializer: initializers, output: output.into_iter().collect(), ..Default::default() };
        ModelProto { ir_version: 8, opset_import: vec![OperatorSetIdProto { version: opset, ..Default::default() }], graph: Some(graph).into(), ..Default::default() }.write_to_bytes().unwrap()
    }

    fn rewritten(bytes: &[u8]) -> GraphProto {
        let bytes = convolutions_as_2d(bytes).expect("rewritten");
        ModelProto::parse_from_bytes(&bytes).unwrap().graph.unwrap()
    }

    fn node(op_type: &str, inputs: &[&str], output: &str) -> NodeProto {
        NodeProto { op_type: op_type.into(), input: inputs.iter().map(|input| input.to_string()).collect(), output: vec![output.into()], ..Default::default() }
    }

    fn ops(graph: &GraphProto) -> Vec<&str> {
        graph.node.iter().map(|node| node.op_type.as_str()).collect()
    }

    #[test]
    fn one_dimensional_convolutions_become_two_dimensional() {
        let nodes = vec![
            conv("Conv", "x", "w1", "y", vec![attribute("kernel_shape", &[3]), attribute("pads", &[1, 2]), attribute("dilations", &[2])]),
            node("LeakyRelu", &["y"], "z"),
            conv("ConvTranspose", "z", "w2", "out", vec![attribute("strides", &[4]), attribute("output_padding", &[1])]),
        ];
        let graph = rewritten(&model(nodes, vec![weight("w1", &[4, 2, 3]), weight("w2", &[4, 2, 8])], 15));
        // The activation between the convolutions works on their 4-D tensors.
        assert_eq!(ops(&graph), ["Unsqueeze", "Conv", "LeakyRelu", "ConvTranspose", "Squeeze"]);
        assert_eq!(graph.node[0].input, ["x", "readcast.conv2d.axes"]);
        assert_eq!(graph.node[2].input, graph.node[1].output);
        assert_eq!(graph.node[3].input[0], graph.node[2].output[0]);
        // The graph's output keeps its name and shape.
        assert_eq!(graph.node[4].output, ["out"]);
        let ints = |node: &NodeProto, name: &str| node.attribute.iter().find(|a| a.name == name).unwrap().ints.clone();
        assert_eq!(ints(&graph.node[1], "kernel_shape"), [1, 3]);
        assert_eq!(ints(&graph.node[1], "pads"), [0, 1, 0, 2]);
        assert_eq!(ints(&graph.node[1], "dilations"), [1, 2]);
        assert_eq!(ints(&graph.node[3], "strides"), [1, 4]);
        assert_eq!(ints(&graph.node[3], "output_padding"), [0, 1]);
        let dims: Vec<Vec<i64>> = graph.initializer.iter().map(|tensor| tensor.dims.clone()).collect();
        assert_eq!(dims, [vec![4, 2, 1, 3], vec![4, 2, 1, 8], vec![1]]);
        // Before opset 13 the axes are an attribute.
        let nodes = vec![conv("Conv", "x", "w", "y", vec![])];
        let graph = rewritten(&model(nodes, vec![weight("w", &[4, 2, 3])], 11));
        assert_eq!(graph.node[0].input, ["x"]);
        assert_eq!(ints(&graph.node[0], "axes"), [2]);
    }

    #[test]
    fn tensors_read_as_three_dimensional_are_squeezed_where_they_are_made() {
        // A division by a scalar stays 4-D; a product with a 3-D mask, and what a node other
        // than an elementwise one reads, are 3-D.
        let nodes = vec![
            conv("Conv", "x", "w", "y", vec![]),
            node("Div", &["y", "three"], "d"),
            node("Mul", &["d", "mask"], "m"),
            node("Split", &["d"], "s"),
        ];
        let three = TensorProto { name: "three".into(), data_type: 1, float_data: vec![3.0], ..Default::default() };
        let mask = TensorProto { name: "mask".into(), dims: vec![1, 1, 5], data_type: 1, float_data: vec![1.0; 5], ..Default::default() };
        let graph = rewritten(&model(nodes, vec![weight("w", &[4, 2, 3]), three, mask], 15));
        assert_eq!(ops(&graph), ["Unsqueeze", "Conv", "Div", "Squeeze", "Mul", "Split"]);
        assert_eq!(graph.node[2].input[1], "three");
        assert_eq!(graph.node[3].output, ["d"]);
        assert_eq!(graph.node[4].input, ["d", "mask"]);
    }

    #[test]
    fn polyphase_convolutions_upsample_as_the_transposed_ones() {
        // HiFi-GAN's upsamplings (stride 8, kernel 16, padding 4; stride 4, kernel 8,
        // padding 2) and an odd one, on numbers from a fixed sequence, against ONNX's
        // definition of ConvTranspose.
        let mut seed = 7u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) as f32 / (1 << 24) as f32 - 0.5
        };
        for (stride, kernel, pad) in [(8i64, 16i64, 4i64), (4, 8, 2), (3, 5, 1)] {
            let (inputs, outputs, length) = (3usize, 2usize, 6usize);
            let taps: Vec<f32> = (0..inputs * outputs * kernel as usize).map(|_| next()).collect();
            let bias: Vec<f32> = (0..outputs).map(|_| next()).collect();
            let x: Vec<f32> = (0..inputs * length).map(|_| next()).collect();
            let weight = TensorProto { dims: vec![inputs as i64, outputs as i64, kernel], data_type: 1, float_data: taps.clone(), ..Default::default() };
            let bias_tensor = TensorProto { dims: vec![outputs as i64], data_type: 1, float_data: bias.clone(), ..Default::default() };
            let node = conv("ConvTranspose", "x", "w", "y", vec![attribute("strides", &[stride]), attribute("pads", &[pad, pad]), attribute("kernel_shape", &[kernel])]);
            let phases = Polyphase::of(&node, &weight, Some(&bias_tensor)).expect("an upsampling");
            let s = stride as usize;
            // ConvTranspose: y[o][i * s - p + k] += x[c][i] * w[c][o][k], plus the bias.
            let mut expected = vec![0.0f32; outputs * length * s];
            for o in 0..outputs {
                for t in 0..length * s {
                    expected[o * length * s + t] = bias[o];
                }
                for c in 0..inputs {
                    for i in 0..length {
                        for k in 0..kernel as usize {
                            let t = (i * s + k) as i64 - pad;
                            if (0..(length * s) as i64).contains(&t) {
                                expected[o * length * s + t as usize] += x[c * length + i] * taps[(c * outputs + o) * kernel as usize + k];
                            }
                        }
                    }
                }
            }
            // The polyphase form: a 3-tap convolution with padding 1, phases interleaved.
            let bias = phases.bias.as_ref().unwrap();
            for o in 0..outputs {
                for m in 0..length {
                    for r in 0..s {
                        let row = r * outputs + o;
                        let mut sum = bias[row];
                        for c in 0..inputs {
                            for u in 0..3 {
                                let i = m as i64 + u as i64 - 1;
                                if (0..length as i64).contains(&i) {
                                    sum += x[c * length + i as usize] * phases.weight[(row * inputs + c) * 3 + u];
                                }
                            }
                        }
                        let want = expected[o * length * s + m * s + r];
                        assert!((sum - want).abs() < 1e-5, "stride {stride}, output {o}, sample {}: {sum} against {want}", m * s + r);
                    }
                }
            }
        }
        // Not a plain upsampling: output padding, or a kernel other than 2p + s.
        let weight = weight("w", &[3, 2, 16]);
        let padded = conv("ConvTranspose", "x", "w", "y", vec![attribute("strides", &[8]), attribute("pads", &[4, 4]), attribute("output_padding", &[1])]);
        assert!(Polyphase::of(&padded, &weight, None).is_none());
        let wide = conv("ConvTranspose", "x", "w", "y", vec![attribute("strides", &[8]), attribute("pads", &[2, 2])]);
        assert!(Polyphase::of(&wide, &weight, None).is_none());
    }

    #[test]
    fn upsamplings_are_replaced_by_polyphase_convolutions() {
        let nodes = vec![conv("ConvTranspose", "x", "w", "y", vec![attribute("strides", &[4]), attribute("pads", &[2, 2])]), node("LeakyRelu", &["y"], "z")];
        let graph = rewritten(&model(nodes, vec![weight("w", &[4, 2, 8])], 15));
        assert_eq!(ops(&graph), ["Unsqueeze", "Conv", "Reshape", "Transpose", "Reshape", "LeakyRelu", "Squeeze"]);
        // The old weight is gone; the new one has 4 phases of 2 channels, 3 taps each.
        let dims: Vec<(&str, Vec<i64>)> = graph.initializer.iter().map(|tensor| (tensor.name.as_str(), tensor.dims.clone())).collect();
        assert!(dims.iter().all(|(name, _)| *name != "w"));
        assert!(dims.contains(&("readcast.conv2d.0.weight", vec![8, 4, 1, 3])));
        assert_eq!(graph.node[6].output, ["z"]);
    }

    fn blocked(op_type: &str, inputs: &[&str], output: &str, attributes: &[(&str, i64)]) -> NodeProto {
        let attribute = attributes.iter().map(|(name, value)| AttributeProto { name: (*name).into(), type_: AttributeType::INT.into(), i: *value, ..Default::default() }).collect();
        NodeProto { domain: BLOCKED.into(), attribute, ..node(op_type, inputs, output) }
    }

    #[test]
    fn elementwise_operators_between_blocked_convolutions_stay_blocked() {
        // As ONNX Runtime saves a residual block: leaky_relu(t) is reordered into a blocked
        // convolution, whose output is reordered back to be added to t.
        let nodes = vec![
            node("LeakyRelu", &["t"], "l"),
            blocked("ReorderInput", &["l"], "lb", &[("channels_last", 0)]),
            blocked("Conv", &["lb", "w", "b"], "cb", &[]),
            blocked("ReorderOutput", &["cb"], "c", &[("channels_last", 0), ("channels", 16)]),
            node("Add", &["c", "t"], "s"),
            node("Div", &["s", "three"], "out"),
        ];
        let three = TensorProto { name: "three".into(), data_type: 1, float_data: vec![3.0], ..Default::default() };
        let bytes = model(nodes, vec![weight("w", &[16, 16, 1, 3]), weight("b", &[16]), three], 15);
        let graph = ModelProto::parse_from_bytes(&blocked_layout_kept(&bytes).expect("rewritten")).unwrap().graph.unwrap();
        // t is reordered once; the activation, the addition (now the convolution's Sum input)
        // and the division run blocked; one reorder back gives the graph its output.
        assert_eq!(ops(&graph), ["ReorderInput", "LeakyRelu", "Conv", "Div", "ReorderOutput"]);
        let [reorder, activation, conv, division, back] = &graph.node[..] else { unreachable!() };
        assert_eq!(reorder.input, ["t"]);
        assert_eq!(activation.input, reorder.output);
        assert_eq!(conv.input, [activation.output[0].as_str(), "w", "b", reorder.output[0].as_str()]);
        assert_eq!(division.input, [conv.output[0].as_str(), "three"]);
        assert_eq!((back.input.clone(), back.output.clone()), (division.output.clone(), vec!["out".to_string()]));
        assert_eq!(int_attribute(back, "channels"), Some(16));
        // Nothing blocked: nothing to do.
        let plain = model(vec![node("LeakyRelu", &["t"], "l")], vec![], 15);
        assert!(blocked_layout_kept(&plain).is_none());
    }

    #[test]
    fn convolutions_that_do_not_qualify_stay() {
        // 2-D already, a weight computed at run time, a weight another node reads, an
        // attribute the rewrite does not know: nothing to do.
        let two_d = model(vec![conv("Conv", "x", "w", "y", vec![])], vec![weight("w", &[4, 2, 3, 3])], 15);
        assert!(convolutions_as_2d(&two_d).is_none());
        let computed = model(vec![conv("Conv", "x", "w", "y", vec![])], vec![], 15);
        assert!(convolutions_as_2d(&computed).is_none());
        let shared = NodeProto { op_type: "Identity".into(), input: vec!["w".into()], output: vec!["v".into()], ..Default::default() };
        let shared = model(vec![conv("Conv", "x", "w", "y", vec![]), shared], vec![weight("w", &[4, 2, 3])], 15);
        assert!(convolutions_as_2d(&shared).is_none());
        let unknown = model(vec![conv("Conv", "x", "w", "y", vec![attribute("future", &[1])])], vec![weight("w", &[4, 2, 3])], 15);
        assert!(convolutions_as_2d(&unknown).is_none());
        assert!(convolutions_as_2d(b"not a model").is_none());
    }
}
